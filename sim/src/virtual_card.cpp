// The virtual card in SystemC (see virtual_card.hpp).
//
// Modules:
//   card  (CardTop)    sc_clock clk at 322.265625 MHz; target socket `bar`
//                      (PCIe BAR: 32-bit MMIO into the CardModel: the
//                      software register file or the RTL card top), target
//                      socket `dma` (table images), SC_THREAD `datapath`.
//   host  (HostBridge) initiator sockets bound to card.bar and card.dma.
//
// Time: every host transaction is a blocking b_transport whose delay the
// target annotates with the PcieTiming figures; the host keeps it as a
// local offset (TLM-2.0 temporal decoupling) and lets SystemC time catch up
// every kQuantumPs and before the datapath runs. The datapath thread starts
// on a rising clock edge and, after the engine has processed every offered
// beat, waits as many clock periods as the engine counted cycles: the
// engine itself (Verilated RTL or HLS C-model) is driven per run() call,
// not one SystemC wake-up a cycle, which would cost far more wall time
// than the RTL evaluation itself.
#include "mplsec/virtual_card.hpp"

#include <cstring>
#include <exception>
#include <stdexcept>

#include <systemc>
#include <tlm>
#include <tlm_utils/simple_initiator_socket.h>
#include <tlm_utils/simple_target_socket.h>

#include "mplsec/card_model.hpp"

namespace mplsec::sim {
namespace {

using sc_core::sc_time;
using sc_core::SC_FS;
using sc_core::SC_PS;

constexpr uint64_t kQuantumPs = 100'000'000;  // 100 us of host-side decoupling

sc_time ps(uint64_t value) { return sc_time(static_cast<double>(value), SC_PS); }

class CardTop : public sc_core::sc_module {
public:
    SC_HAS_PROCESS(CardTop);

    CardTop(const sc_core::sc_module_name& name, std::unique_ptr<CardModel> model, uint32_t ports, bool pcie_time)
        : sc_module(name),
          clk("clk", sc_time(static_cast<double>(kClockPeriodFs), SC_FS)),
          bar("bar"),
          dma("dma"),
          card(std::move(model)),
          ports_(ports),
          pcie_time_(pcie_time) {
        bar.register_b_transport(this, &CardTop::bar_transport);
        dma.register_b_transport(this, &CardTop::dma_transport);
        SC_THREAD(datapath);
    }

    sc_core::sc_clock clk;
    tlm_utils::simple_target_socket<CardTop> bar;
    tlm_utils::simple_target_socket<CardTop> dma;
    std::unique_ptr<CardModel> card;

    sc_core::sc_event run_request;
    bool run_done = false;
    std::vector<OutFrame> run_output;
    std::exception_ptr run_error;
    CardStats counts;
    uint32_t ports() const { return ports_; }

private:
    void bar_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
        const uint64_t address = gp.get_address();
        if (gp.get_byte_enable_ptr()) return gp.set_response_status(tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        if (gp.get_data_length() != 4 || gp.get_streaming_width() != 4)
            return gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        if (!regs::is_register_address(address))
            return gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        const auto a = static_cast<uint32_t>(address);
        uint32_t value = 0;
        if (gp.is_read()) {
            value = a == regs::ident::kNumPorts ? ports_ : card->read32(a);
            std::memcpy(gp.get_data_ptr(), &value, 4);
            delay += latency(PcieTiming::kMmioReadPs);
            ++counts.mmio_reads;
        } else if (gp.is_write()) {
            std::memcpy(&value, gp.get_data_ptr(), 4);
            card->write32(a, value);
            delay += latency(PcieTiming::kMmioWritePs);
            ++counts.mmio_writes;
        } else {
            return gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        }
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }

    // Address: table id in bits 39:32, first index in bits 31:0; data: the
    // packed entries.
    void dma_transport(tlm::tlm_generic_payload& gp, sc_time& delay) {
        if (!gp.is_write()) return gp.set_response_status(tlm::TLM_COMMAND_ERROR_RESPONSE);
        const uint64_t table = gp.get_address() >> 32;
        const auto first = static_cast<uint32_t>(gp.get_address());
        if (table >= regs::kTables.size()) return gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        const regs::TableInfo& info = regs::kTables[table];
        const uint32_t entry_bytes = 4 * info.words;
        if (gp.get_data_length() % entry_bytes != 0) return gp.set_response_status(tlm::TLM_BURST_ERROR_RESPONSE);
        const uint32_t count = gp.get_data_length() / entry_bytes;
        if (uint64_t{first} + count > info.depth) return gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        uint32_t words[8];
        const unsigned char* data = gp.get_data_ptr();
        try {
            for (uint32_t n = 0; n < count; ++n) {
                std::memcpy(words, data + std::size_t{n} * entry_bytes, entry_bytes);
                card->dma_write(info.id, first + n, words);
            }
        } catch (const std::out_of_range&) {
            return gp.set_response_status(tlm::TLM_ADDRESS_ERROR_RESPONSE);
        }
        delay += latency(PcieTiming::kDmaSetupPs + PcieTiming::kDmaPsPerByte * gp.get_data_length());
        counts.dma_bytes += gp.get_data_length();
        gp.set_response_status(tlm::TLM_OK_RESPONSE);
    }

    void datapath() {
        for (;;) {
            wait(run_request);
            wait(clk.posedge_event());
            try {
                const uint64_t before = card->cycles();
                run_output = card->run();
                const uint64_t used = card->cycles() - before;
                if (used > 0) wait(clk.period() * static_cast<double>(used));
            } catch (...) {
                run_error = std::current_exception();
            }
            run_done = true;
            sc_core::sc_pause();
        }
    }

    sc_time latency(uint64_t value_ps) const { return pcie_time_ ? ps(value_ps) : sc_core::SC_ZERO_TIME; }

    uint32_t ports_;
    bool pcie_time_;
};

class HostBridge : public sc_core::sc_module {
public:
    explicit HostBridge(const sc_core::sc_module_name& name) : sc_module(name), bar("bar"), dma("dma") {}
    tlm_utils::simple_initiator_socket<HostBridge> bar;
    tlm_utils::simple_initiator_socket<HostBridge> dma;
};

}  // namespace

struct VirtualCard::Impl {
    Impl(std::unique_ptr<CardModel> model, uint32_t ports, bool pcie_time) : engine_name(model->name()) {
        sc_core::sc_set_time_resolution(1, SC_FS);
        card = std::make_unique<CardTop>("card", std::move(model), ports, pcie_time);
        host = std::make_unique<HostBridge>("host");
        host->bar.bind(card->bar);
        host->dma.bind(card->dma);
        // Elaborate and let the datapath thread reach its first wait.
        sc_core::sc_start(sc_core::SC_ZERO_TIME);
    }

    // Blocking transport plus temporal decoupling.
    tlm::tlm_response_status transact(tlm_utils::simple_initiator_socket<HostBridge>& socket, tlm::tlm_command cmd,
                                      uint64_t address, unsigned char* data, uint32_t length) {
        tlm::tlm_generic_payload gp;
        gp.set_command(cmd);
        gp.set_address(address);
        gp.set_data_ptr(data);
        gp.set_data_length(length);
        gp.set_streaming_width(length);
        gp.set_byte_enable_ptr(nullptr);
        gp.set_dmi_allowed(false);
        gp.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
        sc_time delay = sc_core::SC_ZERO_TIME;
        socket->b_transport(gp, delay);
        offset_ps += static_cast<uint64_t>(delay.to_seconds() * 1e12 + 0.5);
        if (offset_ps >= kQuantumPs) sync();
        return gp.get_response_status();
    }

    void sync() {
        if (offset_ps == 0) return;
        sc_core::sc_start(ps(offset_ps));
        offset_ps = 0;
    }

    std::string engine_name;
    std::unique_ptr<CardTop> card;
    std::unique_ptr<HostBridge> host;
    uint64_t offset_ps = 0;
};

VirtualCard::VirtualCard(std::unique_ptr<Engine> engine, uint32_t ports, bool pcie_time)
    : VirtualCard(make_software_card(std::move(engine)), ports, pcie_time) {}

VirtualCard::VirtualCard(std::unique_ptr<CardModel> card, uint32_t ports, bool pcie_time) {
    if (ports < 1 || ports > 4) throw std::invalid_argument("a card has 1 to 4 ports");
    impl_ = std::make_unique<Impl>(std::move(card), ports, pcie_time);
}

VirtualCard::~VirtualCard() = default;

std::string VirtualCard::engine_name() const { return impl_->engine_name; }
uint32_t VirtualCard::ports() const { return impl_->card->ports(); }

bool VirtualCard::read32(uint32_t address, uint32_t& value) {
    unsigned char data[4] = {};
    if (impl_->transact(impl_->host->bar, tlm::TLM_READ_COMMAND, address, data, 4) != tlm::TLM_OK_RESPONSE) return false;
    std::memcpy(&value, data, 4);
    return true;
}

bool VirtualCard::write32(uint32_t address, uint32_t value) {
    unsigned char data[4];
    std::memcpy(data, &value, 4);
    return impl_->transact(impl_->host->bar, tlm::TLM_WRITE_COMMAND, address, data, 4) == tlm::TLM_OK_RESPONSE;
}

void VirtualCard::write_table(uint32_t table, uint32_t first, uint32_t count, const uint32_t* words) {
    if (table >= regs::kTables.size()) throw std::invalid_argument("no table " + std::to_string(table));
    const regs::TableInfo& info = regs::kTables[table];
    if (uint64_t{first} + count > info.depth)
        throw std::out_of_range(std::string("table ") + info.name + ": entries " + std::to_string(first) + ".." +
                                std::to_string(uint64_t{first} + count - 1) + " beyond depth " +
                                std::to_string(info.depth));
    if (count == 0) return;
    const uint64_t bytes = uint64_t{count} * info.words * 4;
    std::vector<unsigned char> data(bytes);
    std::memcpy(data.data(), words, bytes);
    const auto status = impl_->transact(impl_->host->dma, tlm::TLM_WRITE_COMMAND, uint64_t{table} << 32 | first,
                                        data.data(), static_cast<uint32_t>(bytes));
    if (status != tlm::TLM_OK_RESPONSE)
        throw std::out_of_range(std::string("table ") + info.name + ": DMA write from index " + std::to_string(first) +
                                " refused");
}

void VirtualCard::port_send(uint32_t port, const std::vector<uint8_t>& frame) {
    if (port >= ports())
        throw std::invalid_argument("no port " + std::to_string(port) + " (the card has " + std::to_string(ports()) +
                                    ")");
    impl_->card->card->send(static_cast<uint8_t>(port), frame);
}

std::vector<OutFrame> VirtualCard::run() {
    CardTop& card = *impl_->card;
    impl_->sync();
    card.run_done = false;
    card.run_error = nullptr;
    card.run_request.notify(sc_core::SC_ZERO_TIME);
    while (!card.run_done) sc_core::sc_start();
    if (card.run_error) std::rethrow_exception(card.run_error);
    return std::move(card.run_output);
}

bool VirtualCard::injections_pending() const { return impl_->card->card->injections_pending(); }

CardStats VirtualCard::stats() {
    impl_->sync();
    CardStats s = impl_->card->counts;
    s.in_beats = impl_->card->card->in_beats();
    s.cycles = impl_->card->card->cycles();
    s.sim_time_ps = sc_core::sc_time_stamp().value() / 1000;  // resolution is 1 fs
    return s;
}

}  // namespace mplsec::sim
