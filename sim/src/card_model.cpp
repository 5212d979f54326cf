// CardModel over the software register file (card_model.hpp).
#include "mplsec/card_model.hpp"

#include "mplsec/card_registers.hpp"

namespace mplsec::sim {
namespace {

class SoftwareCard final : public CardModel {
public:
    explicit SoftwareCard(std::unique_ptr<Engine> engine) : regs_(std::move(engine)), engine_(regs_.engine()) {}

    std::string name() const override { return engine_.name(); }
    uint32_t read32(uint32_t address) override { return regs_.read(address); }
    void write32(uint32_t address, uint32_t value) override { regs_.write(address, value); }
    void dma_write(regs::TableId table, uint32_t index, const uint32_t* words) override {
        engine_.write_table(table, index, words);
    }
    void send(uint8_t port, const std::vector<uint8_t>& frame) override { engine_.send(port, frame); }
    std::vector<OutFrame> run() override { return regs_.run(); }
    bool injections_pending() const override { return regs_.injections_pending(); }
    uint64_t in_beats() const override { return engine_.in_beats(); }
    uint64_t cycles() const override { return engine_.cycles(); }

private:
    CardRegisters regs_;
    Engine& engine_;  // the datapath behind regs_
};

static_assert(CardModel::kNumPorts == CardRegisters::kNumPorts);

}  // namespace

std::unique_ptr<CardModel> make_software_card(std::unique_ptr<Engine> engine) {
    return std::make_unique<SoftwareCard>(std::move(engine));
}

}  // namespace mplsec::sim
