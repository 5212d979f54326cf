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
    InProcessDevice(std::string name, std::unique_ptr<sim::CardModel> card)
        : name_(std::move(name)), card_(std::move(card)) {}

    std::string name() const override { return name_; }
    uint32_t read32(uint32_t address) override {
        check_address(address);
        return card_->read32(address);
    }
    void write32(uint32_t address, uint32_t value) override {
        check_address(address);
        card_->write32(address, value);
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
    void check_address(uint32_t address) const {
        if (!regs::is_register_address(address))
            throw DeviceError(name_ + ": register address " + hex(address) +
                              " is not a 32-bit register of the card's 64 KiB space");
    }

    std::string name_;
    std::unique_ptr<sim::CardModel> card_;
};

}  // namespace

std::unique_ptr<Device> make_model_device(ModelEngine engine) {
    switch (engine) {
        case ModelEngine::rtl:
            return std::make_unique<InProcessDevice>("model:rtl", sim::make_software_card(sim::make_rtl_engine()));
        case ModelEngine::rtl_card: return std::make_unique<InProcessDevice>("model:card", sim::make_rtl_register_card());
        case ModelEngine::hls_model: break;
    }
    return std::make_unique<InProcessDevice>("model", sim::make_software_card(sim::make_model_engine()));
}

}  // namespace mplsec::drivers
