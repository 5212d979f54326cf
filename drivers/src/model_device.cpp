// The `model` backend: a card in this process. Register transactions go to
// the software register file in front of a datapath engine (the HLS
// C-model, or the Verilated RTL when asked for "model:rtl"), or, for
// "model:card", to the Verilated card top, whose register file is RTL too.
#include "mplsec/model_device.hpp"

#include "mplsec/card_registers.hpp"
#include "mplsec/rtl_card.hpp"

namespace mplsec::drivers {
namespace {

// The software register file in front of an engine.
class SoftwareCard {
public:
    static constexpr uint32_t kNumPorts = sim::CardRegisters::kNumPorts;
    explicit SoftwareCard(std::unique_ptr<sim::Engine> engine) : regs_(std::move(engine)) {}
    uint32_t read(uint32_t address) { return regs_.read(address); }
    void write(uint32_t address, uint32_t value) { regs_.write(address, value); }
    void send(uint8_t port, const std::vector<uint8_t>& frame) { regs_.engine().send(port, frame); }
    std::vector<sim::OutFrame> run() { return regs_.run(); }
    uint64_t in_beats() { return regs_.engine().in_beats(); }
    uint64_t cycles() { return regs_.engine().cycles(); }

private:
    sim::CardRegisters regs_;
};

// The Verilated card top. A read the card answers with SLVERR gives the
// data it returned (zero), as a host read over PCIe would.
class RtlRegisterCard {
public:
    static constexpr uint32_t kNumPorts = sim::RtlCard::kNumPorts;
    RtlRegisterCard() : card_(sim::make_rtl_card()) {}
    uint32_t read(uint32_t address) { return card_->read(address).data; }
    void write(uint32_t address, uint32_t value) { card_->write(address, value); }
    void send(uint8_t port, const std::vector<uint8_t>& frame) { card_->send(port, frame); }
    std::vector<sim::OutFrame> run() { return card_->run(); }
    uint64_t in_beats() { return card_->in_beats(); }
    uint64_t cycles() { return card_->cycles(); }

private:
    std::unique_ptr<sim::RtlCard> card_;
};

template <typename Card>
class InProcessDevice final : public Device {
public:
    template <typename... Args>
    explicit InProcessDevice(std::string name, Args&&... args)
        : name_(std::move(name)), card_(std::forward<Args>(args)...) {}

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
        if (port >= Card::kNumPorts)
            throw DeviceError(name_ + ": no port " + std::to_string(port) + " (the card has " +
                              std::to_string(Card::kNumPorts) + ")");
        card_.send(port, frame);
    }
    std::vector<TxFrame> port_run() override {
        std::vector<TxFrame> sent;
        for (sim::OutFrame& frame : card_.run()) sent.push_back(TxFrame{frame.port, std::move(frame.bytes)});
        return sent;
    }
    uint64_t in_beats() const override { return card_.in_beats(); }
    uint64_t cycles() const override { return card_.cycles(); }

private:
    void check_address(uint32_t address) const {
        if (!regs::is_register_address(address))
            throw DeviceError(name_ + ": register address " + hex(address) +
                              " is not a 32-bit register of the card's 64 KiB space");
    }

    std::string name_;
    mutable Card card_;  // counting beats and cycles is a read of the card
};

}  // namespace

std::unique_ptr<Device> make_model_device(ModelEngine engine) {
    switch (engine) {
        case ModelEngine::rtl:
            return std::make_unique<InProcessDevice<SoftwareCard>>("model:rtl", sim::make_rtl_engine());
        case ModelEngine::rtl_card: return std::make_unique<InProcessDevice<RtlRegisterCard>>("model:card");
        case ModelEngine::hls_model: break;
    }
    return std::make_unique<InProcessDevice<SoftwareCard>>("model", sim::make_model_engine());
}

}  // namespace mplsec::drivers
