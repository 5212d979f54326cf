// The `model` backend: a card in this process. Register transactions go to
// the software register file in front of a datapath engine (the HLS
// C-model, or the Verilated RTL when asked for "model:rtl").
#include "mplsec/model_device.hpp"

#include "mplsec/card_registers.hpp"

namespace mplsec::drivers {
namespace {

class InProcessDevice final : public Device {
public:
    InProcessDevice(std::string name, std::unique_ptr<sim::Engine> engine)
        : name_(std::move(name)), card_(std::move(engine)) {}

    std::string name() const override { return name_; }
    uint32_t read32(uint32_t address) override {
        check_address(address);
        return card_.read(address);
    }
    void write32(uint32_t address, uint32_t value) override {
        check_address(address);
        card_.write(address, value);
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
    void check_address(uint32_t address) const {
        if (!regs::is_register_address(address))
            throw DeviceError(name_ + ": register address " + hex(address) +
                              " is not a 32-bit register of the card's 64 KiB space");
    }

    std::string name_;
    sim::CardRegisters card_;
};

}  // namespace

std::unique_ptr<Device> make_model_device(ModelEngine engine) {
    if (engine == ModelEngine::rtl) return std::make_unique<InProcessDevice>("model:rtl", sim::make_rtl_engine());
    return std::make_unique<InProcessDevice>("model", sim::make_model_engine());
}

}  // namespace mplsec::drivers
