#include "sa_compile.hpp"

#include <cstdio>
#include <optional>
#include <set>

#include "entry_emit.hpp"
#include "mplsec/spi_hash.hpp"

namespace mplsec::tables {
namespace {

using config::Config;

uint32_t log2_of(uint32_t power_of_two) {
    uint32_t log2 = 0;
    while ((uint32_t{1} << log2) < power_of_two) ++log2;
    return log2;
}

regs::SaEntry sa_entry(const config::Sa& sa) {
    regs::SaEntry e{};
    e.valid = 1;
    e.inbound = sa.dir == config::SaDir::in;
    e.aes256 = sa.cipher == config::Cipher::aes_256_gcm;
    e.esn = sa.esn;
    e.encap_udp = sa.encap == config::Encap::udp;
    e.outer_v6 = sa.tunnel.dst.v6;
    e.replay_log2 = e.inbound ? log2_of(sa.replay_window) : 0;
    e.spi = sa.spi;
    for (int i = 0; i < 4; ++i) e.salt |= uint64_t{sa.salt[i]} << (24 - 8 * i);
    for (std::size_t i = 0; i < sa.key.size(); ++i) {
        const std::size_t bit = 8 * (31 - i);  // first byte in 255:248
        e.key[bit / 32] |= uint32_t{sa.key[i]} << (bit % 32);
    }
    return e;
}

// RFC 3948 source and destination port.
constexpr uint16_t kIpsecNatPort = 4500;

regs::SaTunnelEntry tunnel_entry(const config::Sa& sa) {
    regs::SaTunnelEntry e{};
    if (sa.dir == config::SaDir::in) return e;  // inbound SAs leave it zero
    e.src = address_field(sa.tunnel.src);
    e.dst = address_field(sa.tunnel.dst);
    if (sa.encap == config::Encap::udp) e.udp_sport = e.udp_dport = kIpsecNatPort;
    return e;
}

regs::SaLifetimeEntry lifetime_entry(const config::Sa& sa) {
    regs::SaLifetimeEntry e{};
    if (!sa.lifetime) return e;
    e.soft_bytes = sa.lifetime->soft_bytes.value_or(0);
    e.hard_bytes = sa.lifetime->hard_bytes.value_or(0);
    e.soft_packets = sa.lifetime->soft_packets.value_or(0);
    e.hard_packets = sa.lifetime->hard_packets.value_or(0);
    return e;
}

std::string spi_text(uint32_t spi) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "0x%x", spi);
    return buf;
}

// The spi_hash slots of the inbound SAs: slot index -> SPI.
class SpiPlacement {
public:
    bool taken(uint32_t slot) const { return spi_at_.count(slot) != 0; }
    void put(uint32_t slot, uint32_t spi) { spi_at_[slot] = spi; }
    uint32_t spi_at(uint32_t slot) const { return spi_at_.at(slot); }
    const std::map<uint32_t, uint32_t>& slots() const { return spi_at_; }

    // The other of an SPI's two slots.
    static uint32_t other_slot(uint32_t spi, uint32_t slot) {
        const uint32_t way0 = spi_hash_slot(spi, 0);
        return slot == way0 ? spi_hash_slot(spi, 1) : way0;
    }

    // A free slot of `spi`, making one by moving an occupant of one of its
    // slots to that occupant's other slot; nullopt when neither can move.
    std::optional<uint32_t> place(uint32_t spi) {
        for (uint32_t way = 0; way < kSpiHashWays; ++way)
            if (!taken(spi_hash_slot(spi, way))) return spi_hash_slot(spi, way);
        for (uint32_t way = 0; way < kSpiHashWays; ++way) {
            const uint32_t slot = spi_hash_slot(spi, way);
            const uint32_t occupant = spi_at(slot);
            const uint32_t refuge = other_slot(occupant, slot);
            if (taken(refuge)) continue;
            spi_at_.erase(slot);
            put(refuge, occupant);
            return slot;
        }
        return std::nullopt;
    }

private:
    std::map<uint32_t, uint32_t> spi_at_;
};

}  // namespace

void compile_sas(const Config& c, TableImage& image, const TableImage* previous) {
    std::map<uint32_t, const config::Sa*> inbound;  // by SPI (unique, config validation)
    for (const config::Sa& sa : c.sas) {
        const uint32_t index = image.sa_index.at(sa.name);
        emit(image, index, tunnel_entry(sa));
        emit(image, index, lifetime_entry(sa));
        emit(image, index, sa_entry(sa));
        if (sa.dir == config::SaDir::in) inbound[sa.spi] = &sa;
    }

    SpiPlacement placement;
    if (previous)
        for (const auto& [spi, slot] : previous->spi_slot)
            if (inbound.count(spi)) placement.put(slot, spi);
    for (const config::Sa& sa : c.sas) {
        if (sa.dir != config::SaDir::in || (previous && previous->spi_slot.count(sa.spi))) continue;
        const std::optional<uint32_t> slot = placement.place(sa.spi);
        if (!slot) {
            const uint32_t a = placement.spi_at(spi_hash_slot(sa.spi, 0));
            const uint32_t b = placement.spi_at(spi_hash_slot(sa.spi, 1));
            throw config::error_at(c, sa.origin, "spi",
                                   "SPI " + spi_text(sa.spi) + " finds no free spi_hash slot: its two slots hold SPIs " +
                                       spi_text(a) + " and " + spi_text(b) +
                                       ", and neither can move to its other slot; choose another SPI");
        }
        placement.put(*slot, sa.spi);
    }
    // A slot the card has in use is a redirect: it is written after every
    // slot that was free, so an SPI moved by the cuckoo step is found in its
    // new slot before its old one is given to another SPI.
    std::set<uint32_t> in_use;
    if (previous)
        for (const auto& [spi, slot] : previous->spi_slot) in_use.insert(slot);
    for (const auto& [slot, spi] : placement.slots()) {
        image.spi_slot[spi] = slot;
        regs::SpiHashEntry e{};
        e.valid = 1;
        e.spi = spi;
        e.sa = image.sa_index.at(inbound.at(spi)->name);
        emit(image, slot, e, in_use.count(slot) != 0);
    }
}

}  // namespace mplsec::tables
