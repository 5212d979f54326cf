// The `model` backend: a card in this process. Register transactions go to
// the software register file in front of a datapath engine (the HLS
// C-model, or the Verilated RTL when asked for "model:rtl").
#include "mplsec/model_device.hpp"

#include "mplsec/card_registers.hpp"

namespace mplsec::drivers {
namespace {

class InProcessDevice final : public Device {
public:
    explicit InProcessDevice(ModelEngine engine)
        : engine_(engine), name_(engine == ModelEngine::rtl ? "model:rtl" : "model"), card_(make_engine(engine)) {}

    std::string name() const override { return name_; }
    uint32_t read32(uint32_t address) override {
        check_address(address);
        return card_.read(address);
    }
    void write32(uint32_t address, uint32_t value) override {
        check_address(address);
        card_.write(address, value);
    }

    // The model's bulk path: a run goes from host memory straight into the
    // tables, as the card's DMA engine writes it; short runs use the window.
    void write_entries(regs::TableId table, uint32_t first, uint32_t count, const uint32_t* words) override {
        if (count < kBulkMinEntries) {
            Device::write_entries(table, first, count, words);
            return;
        }
        check_bulk_range(table, first, count);
        const regs::TableInfo& info = regs::table_info(table);
        for (uint32_t n = 0; n < count; ++n)
            card_.engine().write_table(table, first + n, words + std::size_t{n} * info.words);
    }

    // A reload empties every table and counter: a new card, same engine.
    Identity reload(const std::string&) override {
        card_ = sim::CardRegisters(make_engine(engine_));
        return check_identity();
    }

    bool has_packet_ports() const override { return true; }
    void port_send(uint8_t port, const std::vector<uint8_t>& frame) override {
        if (port >= sim::CardRegisters::kNumPorts)
            throw DeviceError(name_ + ": no port " + std::to_string(port) + " (the card has " +
                              std::to_string(sim::CardRegisters::kNumPorts) + ")");
        card_.engine().send(port, frame);
    }
    std::vector<TxFrame> port_run() override {
        std::vector<TxFrame> sent;
        for (sim::OutFrame& frame : card_.run()) sent.push_back(TxFrame{frame.port, std::move(frame.bytes)});
        return sent;
    }
    uint64_t in_beats() const override { return const_cast<sim::CardRegisters&>(card_).engine().in_beats(); }
    uint64_t cycles() const override { return const_cast<sim::CardRegisters&>(card_).engine().cycles(); }

private:
    static std::unique_ptr<sim::Engine> make_engine(ModelEngine engine) {
        return engine == ModelEngine::rtl ? sim::make_rtl_engine() : sim::make_model_engine();
    }

    void check_address(uint32_t address) const {
        if (!regs::is_register_address(address))
            throw DeviceError(name_ + ": register address " + hex(address) +
                              " is not a 32-bit register of the card's 64 KiB space");
    }

    ModelEngine engine_;
    std::string name_;
    sim::CardRegisters card_;
};

}  // namespace

std::unique_ptr<Device> make_model_device(ModelEngine engine) { return std::make_unique<InProcessDevice>(engine); }

}  // namespace mplsec::drivers
