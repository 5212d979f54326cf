// Unit test of mplsec_stream_realign: random streams moved between every
// pair of lane offsets (up, down, none), lengths from one byte to a
// 9600-byte frame, a prefix in the first output beat, garbage around the
// stream on the input, random input gaps and output backpressure, and
// frames back to back (one beat a cycle when neither side stalls).
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>
#include <vector>

#include "Vmplsec_stream_realign.h"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

using Bytes = std::vector<uint8_t>;

struct Frame {
    unsigned in_off = 0, out_off = 0;
    Bytes stream, prefix;
    std::vector<Bytes> in_beats;
    Bytes want;  // output bytes up to the end of the stream
};

Frame make_frame(std::mt19937& rng, unsigned in_off, unsigned out_off, std::size_t len) {
    Frame f;
    f.in_off = in_off;
    f.out_off = out_off;
    f.stream.resize(len);
    for (auto& b : f.stream) b = static_cast<uint8_t>(rng());
    f.prefix.resize(64);
    for (auto& b : f.prefix) b = static_cast<uint8_t>(rng());
    Bytes in(in_off + len + 64);
    for (auto& b : in) b = static_cast<uint8_t>(rng());  // garbage around the stream
    std::copy(f.stream.begin(), f.stream.end(), in.begin() + in_off);
    for (std::size_t k = 0; k < (in_off + len + 63) / 64; ++k) f.in_beats.emplace_back(in.begin() + 64 * k, in.begin() + 64 * k + 64);
    f.want.assign(f.prefix.begin(), f.prefix.begin() + out_off);
    f.want.insert(f.want.end(), f.stream.begin(), f.stream.end());
    return f;
}

class StreamRealignTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vmplsec_stream_realign>();
        t_->s_valid_i = 0;
        t_->m_ready_i = 1;
        reset(*t_);
    }

    // Runs the frames through; returns the cycles taken.
    uint64_t run(const std::vector<Frame>& frames, unsigned gap_pct, unsigned stall_pct, std::mt19937& rng) {
        std::size_t fi = 0, bi = 0, out_frame = 0;
        Bytes got;
        uint64_t cycles = 0;
        while (out_frame < frames.size()) {
            if (++cycles > 10'000'000) {
                ADD_FAILURE() << "no progress";
                return cycles;
            }
            const bool offer = fi < frames.size() && rng() % 100 >= gap_pct;
            t_->s_valid_i = offer;
            if (offer) {
                const Frame& f = frames[fi];
                set_bytes(t_->s_data_i, f.in_beats[bi], 64);
                set_bytes(t_->prefix_i, f.prefix, 64);
                t_->s_last_i = bi + 1 == f.in_beats.size();
                t_->in_off_i = f.in_off;
                t_->out_off_i = f.out_off;
                t_->len_i = static_cast<uint16_t>(f.stream.size());
            }
            t_->m_ready_i = rng() % 100 >= stall_pct;
            t_->clk_i = 0;
            t_->eval();
            const bool took = offer && t_->s_ready_o;
            const bool out = t_->m_valid_o && t_->m_ready_i;
            if (out) {
                const uint64_t keep = t_->m_keep_o;
                const bool last = t_->m_last_o;
                const int n = keep == ~uint64_t{0} ? 64 : __builtin_popcountll(keep);
                EXPECT_EQ(keep, n == 64 ? ~uint64_t{0} : (uint64_t{1} << n) - 1) << "keep not contiguous";
                if (!last) {
                    EXPECT_EQ(n, 64);
                }
                for (int i = 0; i < 64; ++i) {
                    const uint8_t b = get_byte(t_->m_data_o, i);
                    if (i < n) got.push_back(b);
                    else EXPECT_EQ(b, 0) << "byte past keep";
                }
                if (last) {
                    EXPECT_EQ(got, frames[out_frame].want) << "frame " << out_frame << " in_off "
                                                           << frames[out_frame].in_off << " out_off "
                                                           << frames[out_frame].out_off << " len "
                                                           << frames[out_frame].stream.size();
                    if (got != frames[out_frame].want) return cycles;
                    got.clear();
                    ++out_frame;
                }
            }
            t_->clk_i = 1;
            t_->eval();
            if (took && ++bi == frames[fi].in_beats.size()) {
                bi = 0;
                ++fi;
            }
        }
        return cycles;
    }

    std::unique_ptr<Vmplsec_stream_realign> t_;
};

TEST_F(StreamRealignTest, EveryOffsetPairAndShortLengths) {
    std::mt19937 rng(1);
    std::vector<Frame> frames;
    for (unsigned in_off = 0; in_off < 64; in_off += 3)
        for (unsigned out_off = 0; out_off < 64; out_off += 5)
            frames.push_back(make_frame(rng, in_off, out_off, 1 + rng() % 200));
    run(frames, 0, 0, rng);
}

TEST_F(StreamRealignTest, LongFramesWithGapsAndBackpressure) {
    std::mt19937 rng(2);
    std::vector<Frame> frames;
    for (int i = 0; i < 300; ++i) {
        const std::size_t len = i % 10 == 0 ? 9600 - rng() % 100 : 1 + rng() % 1600;
        frames.push_back(make_frame(rng, rng() % 64, rng() % 64, len));
    }
    run(frames, 20, 30, rng);
}

TEST_F(StreamRealignTest, OneBeatACycleUnlessTheOutputGrowsABeat) {
    std::mt19937 rng(3);
    std::vector<Frame> frames;
    uint64_t in_beats = 0, extra = 0;
    for (int i = 0; i < 400; ++i) {
        // Lane 0 behind a header (the ESP output side) and to lane 0 (the
        // core side), in runs of either.
        const bool to_core = rng() % 3 != 0;
        const std::size_t len = i % 4 == 0 ? 1 + rng() % 120 : 60 + rng() % 1500;
        frames.push_back(make_frame(rng, to_core ? rng() % 64 : 0, to_core ? 0 : rng() % 64, len));
    }
    for (std::size_t i = 0; i < frames.size(); ++i) {
        const Frame& f = frames[i];
        const uint64_t n_in = f.in_beats.size(), n_out = (f.out_off + f.stream.size() + 63) / 64;
        const bool down = f.out_off < f.in_off;
        const bool next_down = i + 1 < frames.size() && frames[i + 1].out_off < frames[i + 1].in_off;
        in_beats += n_in;
        // An output beat after the input's last costs a cycle, unless the
        // next frame moves down (its first beat comes in that cycle).
        extra += n_out > n_in || (down && n_out == n_in && !next_down);
    }
    const uint64_t cycles = run(frames, 0, 0, rng);
    // Two cycles of pipeline fill and drain.
    EXPECT_LE(cycles, in_beats + extra + 2);
}

}  // namespace
}  // namespace mplsec::rtltest
