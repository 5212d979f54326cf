// Unit test of mplsec_ingress: random frames from 1 to 10000 bytes on
// random ports with random input gaps and a slow, random release of
// frames (standing in for the egress), checked against a model of the
// buffer ring: every descriptor (length, port, place, beats stored, slot,
// policer epoch, header window zero past the frame), every stored beat,
// and tready, which may drop only for a full buffer or, at a first beat,
// for 64 frames in flight.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <vector>

#include "Vmplsec_ingress.h"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

template <typename Wide>
uint64_t bits(const Wide& w, unsigned lsb, unsigned width) {
    uint64_t v = 0;
    for (unsigned i = 0; i < width; ++i) v |= uint64_t{(w[(lsb + i) / 32] >> ((lsb + i) % 32)) & 1u} << i;
    return v;
}

struct Sent {
    std::vector<uint8_t> bytes;
    uint8_t port;
    uint64_t first_clock;
};

TEST(IngressTest, RandomFramesGapsAndSlowRelease) {
    auto t = std::make_unique<Vmplsec_ingress>();
    t->s_axis_tvalid_i = 0;
    t->rel_valid_i = 0;
    reset(*t);
    std::mt19937 rng(4);
    std::vector<std::vector<uint8_t>> buf(1024, std::vector<uint8_t>(64));
    std::deque<Sent> to_send;
    for (int i = 0; i < 600; ++i) {
        Sent s;
        const unsigned size = rng() % 10 == 0 ? 1 + rng() % 10000 : 1 + rng() % 300;
        s.bytes.resize(size);
        for (auto& b : s.bytes) b = static_cast<uint8_t>(rng());
        s.port = rng() % 4;
        to_send.push_back(s);
    }
    std::deque<Sent> in_flight;        // started, descriptor not yet seen
    std::deque<uint32_t> release;      // beats of frames waiting for release
    std::size_t pos = 0;               // byte position in to_send.front()
    uint64_t clock = 0, used = 0, inflight = 0, frames_seen = 0;
    uint32_t expect_start = 0, expect_slot = 0;
    bool in_frame = false;
    uint64_t refused = 0, oversize = 0;
    for (int c = 0; c < 2'000'000 && frames_seen < 600; ++c) {
        const bool offer = !to_send.empty() && rng() % 100 < 80;
        t->s_axis_tvalid_i = offer;
        if (offer) {
            const Sent& s = to_send.front();
            const std::size_t n = std::min<std::size_t>(64, s.bytes.size() - pos);
            std::vector<uint8_t> beat(64, 0xee);  // bytes past tkeep are junk
            std::copy(s.bytes.begin() + pos, s.bytes.begin() + pos + n, beat.begin());
            set_bytes(t->s_axis_tdata_i, beat, 64);
            t->s_axis_tkeep_i = n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1;
            t->s_axis_tlast_i = pos + n == s.bytes.size();
            t->s_axis_tuser_i = s.port;
        }
        const bool rel = !release.empty() && rng() % 100 < ((c / 3000) % 2 ? 40u : 3u);  // slow and fast phases
        t->rel_valid_i = rel;
        t->rel_beats_i = rel ? release.front() : 0;
        t->clk_i = 0;
        t->eval();
        ASSERT_EQ(static_cast<bool>(t->s_axis_tready_o), used < 1024 && (in_frame || inflight < 64)) << c;
        const bool took = offer && t->s_axis_tready_o;
        if (offer && !t->s_axis_tready_o) ++refused;
        if (t->buf_we_o) {
            for (int b = 0; b < 64; ++b) buf[t->buf_waddr_o][b] = get_byte(t->buf_wdata_o, b);
        }
        // Descriptor of a frame completed the cycle before.
        if (t->desc_valid_o) {
            ASSERT_FALSE(in_flight.empty());
            const Sent s = in_flight.front();
            in_flight.pop_front();
            const uint64_t len = bits(t->desc_o, 0, 24);
            const uint64_t beats = std::min<uint64_t>((s.bytes.size() + 63) / 64, 150);
            if (s.bytes.size() > 9600) ++oversize;
            EXPECT_EQ(len, s.bytes.size());
            EXPECT_EQ(bits(t->desc_o, 24, 2), s.port);
            EXPECT_EQ(bits(t->desc_o, 26, 6), expect_slot);
            EXPECT_EQ(bits(t->desc_o, 32, 10), expect_start);
            EXPECT_EQ(bits(t->desc_o, 42, 8), beats);
            EXPECT_EQ(bits(t->desc_o, 50, 48), s.first_clock >> 16);
            for (std::size_t i = 0; i < 192; ++i)
                ASSERT_EQ(get_byte(t->desc_hdr_o, i), i < s.bytes.size() ? s.bytes[i] : 0) << "hdr byte " << i;
            for (std::size_t i = 0; i < std::min<std::size_t>(s.bytes.size(), 9600); ++i)
                ASSERT_EQ(buf[(expect_start + i / 64) % 1024][i % 64], s.bytes[i]) << "buffer byte " << i;
            expect_start = static_cast<uint32_t>((expect_start + beats) % 1024);
            expect_slot = (expect_slot + 1) % 64;
            release.push_back(static_cast<uint32_t>(beats));
            ++frames_seen;
        }
        t->clk_i = 1;
        t->eval();
        if (rel) {
            used -= release.front();
            release.pop_front();
            --inflight;
        }
        if (took) {
            Sent& s = to_send.front();
            if (pos == 0) {
                in_frame = true;
                ++inflight;
                s.first_clock = clock;
            }
            if (pos / 64 < 150) ++used;
            ++clock;
            pos += 64;
            if (pos >= s.bytes.size()) {
                in_flight.push_back(s);
                to_send.pop_front();
                pos = 0;
                in_frame = false;
            }
        }
    }
    EXPECT_EQ(frames_seen, 600u);
    EXPECT_GT(refused, 100u) << "flow control never exercised";
    EXPECT_GT(oversize, 0u);
}

}  // namespace
}  // namespace mplsec::rtltest
