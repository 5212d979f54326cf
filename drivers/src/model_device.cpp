// The `model` backend: a card in this process. Register transactions go to
// the software register file in front of a datapath engine (the HLS
// C-model, or the Verilated RTL when asked for "model:rtl"), or, for
// "model:card", to the Verilated card top, whose register file is RTL too.
#include "mplsec/model_device.hpp"

#include "mplsec/card_model.hpp"

namespace mplsec::drivers {
namespace {

class InProcessDevice final : public Device {
public:
    explicit InProcessDevice(ModelEngine engine) : engine_(engine), name_(name_of(engine)), card_(make_card(engine)) {}

    std::string name() const override { return name_; }
    uint32_t read32(uint32_t address) override {
        check_address(address);
        return card_->read32(address);
    }
    void write32(uint32_t address, uint32_t value) override {
        check_address(address);
        card_->write32(address, value);
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
        for (uint32_t n = 0; n < count; ++n) card_->dma_write(table, first + n, words + std::size_t{n} * info.words);
    }

    // A reload empties every table and counter: a new card, same engine.
    Identity reload(const std::string&) override {
        card_ = make_card(engine_);
        return check_identity();
    }

    bool has_packet_ports() const override { return true; }
    void port_send(uint8_t port, const std::vector<uint8_t>& frame) override {
        if (port >= sim::CardModel::kNumPorts)
            throw DeviceError(name_ + ": no port " + std::to_string(port) + " (the card has " +
                              std::to_string(sim::CardModel::kNumPorts) + ")");
        card_->send(port, frame);
    }
    std::vector<TxFrame> port_run() override {
        std::vector<TxFrame> sent;
        for (sim::OutFrame& frame : card_->run()) sent.push_back(TxFrame{frame.port, std::move(frame.bytes)});
        return sent;
    }
    uint64_t in_beats() const override { return card_->in_beats(); }
    uint64_t cycles() const override { return card_->cycles(); }

private:
    static std::string name_of(ModelEngine engine) {
        switch (engine) {
            case ModelEngine::rtl: return "model:rtl";
            case ModelEngine::rtl_card: return "model:card";
            case ModelEngine::hls_model: break;
        }
        return "model";
    }

    static std::unique_ptr<sim::CardModel> make_card(ModelEngine engine) {
        switch (engine) {
            case ModelEngine::rtl: return sim::make_software_card(sim::make_rtl_engine());
            case ModelEngine::rtl_card: return sim::make_rtl_register_card();
            case ModelEngine::hls_model: break;
        }
        return sim::make_software_card(sim::make_model_engine());
    }

    void check_address(uint32_t address) const {
        if (!regs::is_register_address(address))
            throw DeviceError(name_ + ": register address " + hex(address) +
                              " is not a 32-bit register of the card's 64 KiB space");
    }

    ModelEngine engine_;
    std::string name_;
    std::unique_ptr<sim::CardModel> card_;
};

}  // namespace

std::unique_ptr<Device> make_model_device(ModelEngine engine) { return std::make_unique<InProcessDevice>(engine); }

}  // namespace mplsec::drivers
