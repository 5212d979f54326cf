// Unit test of mplsec_rewrite + mplsec_egress (through tb_realign): every
// header length change the datapath makes (-16..+12 bytes), every output
// length from 60 bytes up past three beats and some long frames, frames
// placed across the packet buffer's wrap, an IPv4 TTL/checksum patch,
// dropped frames in between, and random output backpressure.
#include <gtest/gtest.h>

#include <deque>
#include <memory>
#include <random>

#include "Vtb_realign.h"
#include "rtl_test_util.hpp"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

constexpr uint32_t kBufBeats = 1024;

struct Job {
    Bytes frame;  // input frame
    unsigned rest_off = 14;
    unsigned n_new = 0;
    bool vlan = false;
    bool drop = false;
    bool patch = false;
    Bytes want;  // expected output
};

class RealignTest : public ::testing::Test {
protected:
    void SetUp() override {
        t_ = std::make_unique<Vtb_realign>();
        t_->valid_i = 0;
        t_->buf_we_i = 0;
        t_->m_axis_tready_i = 1;
        reset(*t_);
    }

    static Bytes expected(const Job& j, uint64_t dmac, uint64_t smac, const std::vector<uint32_t>& st) {
        Bytes out = eth(dmac, smac, j.vlan ? std::vector<uint16_t>{0x123} : std::vector<uint16_t>{},
                        j.n_new ? 0x8847 : 0x0800);
        out = cat(out, labels(std::vector<uint32_t>(st.begin(), st.begin() + j.n_new)));
        Bytes rest(j.frame.begin() + j.rest_off, j.frame.end());
        if (j.patch) {
            rest[8] = static_cast<uint8_t>(rest[8] - 1);
            rest[10] = rest[11] = 0;
            const uint16_t c = static_cast<uint16_t>(~ones_sum(rest.data(), 20));
            rest[10] = static_cast<uint8_t>(c >> 8);
            rest[11] = static_cast<uint8_t>(c);
        }
        out = cat(out, rest);
        if (out.size() < 60) out.resize(60, 0);
        return out;
    }

    // Writes the jobs' frames into the buffer, issues them back to back
    // and checks what comes out.
    void run_batch(std::vector<Job>& jobs, std::mt19937& rng, unsigned ready_pct) {
        const uint64_t dmac = 0x0a0b0c0d0e0f, smac = 0x020000000101;
        const std::vector<uint32_t> st = {lse(1000, 1, false, 9), lse(2000, 2, false, 9), lse(3000, 3, true, 9)};
        std::vector<uint32_t> starts;
        for (Job& j : jobs) {
            starts.push_back(wptr_);
            for (std::size_t pos = 0; pos < j.frame.size(); pos += 64) {
                t_->buf_we_i = 1;
                t_->buf_waddr_i = wptr_;
                set_bytes(t_->buf_wdata_i, j.frame, 64, pos);
                tick(*t_);
                wptr_ = (wptr_ + 1) % kBufBeats;
            }
            t_->buf_we_i = 0;
            j.want = expected(j, dmac, smac, st);
        }
        std::deque<const Job*> pending;
        std::size_t issued = 0;
        Bytes cur;
        std::size_t done = 0;
        for (int cycle = 0; cycle < 100000 && done < jobs.size(); ++cycle) {
            t_->valid_i = 0;
            if (issued < jobs.size() && pending.size() < 12) {
                const Job& j = jobs[issued];
                t_->valid_i = 1;
                t_->act_i = j.drop ? 1 : 2;
                t_->buf_start_i = starts[issued];
                t_->buf_beats_i = static_cast<uint32_t>((j.frame.size() + 63) / 64);
                set_bytes(t_->hdr_i, j.frame, 192);
                t_->len_i = static_cast<uint32_t>(j.want.size());
                t_->dmac_i = dmac;
                t_->smac_i = smac;
                t_->vlan_valid_i = j.vlan;
                t_->vlan_i = 0x123;
                t_->ethertype_i = j.n_new ? 0x8847 : 0x0800;
                t_->n_new_i = j.n_new;
                t_->lse_i[0] = st[0];  // entry 0 (outermost) in the low bits
                t_->lse_i[1] = st[1];
                t_->lse_i[2] = st[2];
                t_->rest_off_i = j.rest_off;
                t_->ip_patch_i = j.patch;
                t_->ip_v6_i = 0;
                t_->ip_off_i = j.rest_off;
                t_->ttl_orig_i = j.frame[j.rest_off + 8];
                t_->two_step_i = 0;
                t_->ttl_mid_i = 0;
                t_->ttl_new_i = static_cast<uint8_t>(j.frame[j.rest_off + 8] - 1);
                t_->proto_i = j.frame[j.rest_off + 9];
                t_->csum_i = static_cast<uint16_t>(j.frame[j.rest_off + 10] << 8 | j.frame[j.rest_off + 11]);
                if (!j.drop) pending.push_back(&j);
                else ++done;
                ++issued;
            }
            t_->m_axis_tready_i = (rng() % 100) < ready_pct;
            t_->eval();
            if (t_->m_axis_tvalid_o && t_->m_axis_tready_i) {
                const uint64_t keep = t_->m_axis_tkeep_o;
                for (int b = 0; b < 64; ++b) {
                    if ((keep >> b) & 1) cur.push_back(get_byte(t_->m_axis_tdata_o, b));
                    else EXPECT_EQ(get_byte(t_->m_axis_tdata_o, b), 0) << "bytes past tkeep are zero";
                }
                if (t_->m_axis_tlast_o) {
                    EXPECT_FALSE(pending.empty());
                    if (!pending.empty()) {
                        const Job& j = *pending.front();
                        EXPECT_EQ(cur, j.want) << "size " << j.frame.size() << " rest " << j.rest_off << " new "
                                               << j.n_new << " vlan " << j.vlan;
                        pending.pop_front();
                    }
                    cur.clear();
                    ++done;
                }
            }
            tick(*t_);
        }
        t_->valid_i = 0;
        EXPECT_EQ(done, jobs.size());
    }

    std::unique_ptr<Vtb_realign> t_;
    uint32_t wptr_ = kBufBeats - 3;  // start near the wrap
};

Bytes test_frame(std::size_t size, unsigned rest_off, bool ipv4_at_rest) {
    Bytes f(size);
    for (std::size_t i = 0; i < size; ++i) f[i] = static_cast<uint8_t>(i * 13 + 7 + (i >> 8));
    if (ipv4_at_rest) {
        const Bytes ip = ipv4(0x01020304, 0x05060708, 77, 17, 0, 20);
        std::copy(ip.begin(), ip.end(), f.begin() + rest_off);
    }
    return f;
}

TEST_F(RealignTest, EveryDeltaEveryLength) {
    std::mt19937 rng(3);
    for (unsigned rest : {14u, 18u, 22u, 26u, 30u}) {
        for (unsigned n_new = 0; n_new <= 3; ++n_new) {
            for (bool vlan : {false, true}) {
                const int plen = 14 + (vlan ? 4 : 0) + 4 * static_cast<int>(n_new);
                const int delta = static_cast<int>(rest) - plen;
                if (delta < -16 || delta > 12) continue;
                std::vector<Job> jobs;
                for (std::size_t size = 60; size <= 260; ++size) {
                    Job j;
                    j.frame = test_frame(size, rest, size % 3 == 0);
                    j.rest_off = rest;
                    j.n_new = n_new;
                    j.vlan = vlan;
                    j.patch = size % 3 == 0;
                    j.drop = size % 17 == 0;
                    jobs.push_back(j);
                }
                for (std::size_t size : {1000u, 1514u, 9600u}) {
                    Job j;
                    j.frame = test_frame(size, rest, false);
                    j.rest_off = rest;
                    j.n_new = n_new;
                    j.vlan = vlan;
                    jobs.push_back(j);
                }
                run_batch(jobs, rng, 100);
                run_batch(jobs, rng, 60);
            }
        }
    }
}

}  // namespace
}  // namespace mplsec::rtltest
