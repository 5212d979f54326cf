// mplsec_axil_slave on its own: the channel orders a master may use (AW
// before W, W before AW, a read and a write in the same cycle), responses
// held until taken, SLVERR passed through, and one register request per
// transaction.
#include <gtest/gtest.h>

#include <vector>

#include "Vmplsec_axil_slave.h"
#include "vtb.hpp"

namespace mplsec::rtltest {
namespace {

struct Request {
    bool write;
    uint32_t addr, wdata, wstrb;
};

class AxilSlaveTest : public ::testing::Test {
protected:
    AxilSlaveTest() {
        t.awvalid_i = t.wvalid_i = t.arvalid_i = 0;
        t.bready_i = t.rready_i = 0;
        t.ack_i = 0;
        reset(t);
    }

    // One cycle; the register side answers `latency` cycles after a
    // request with rdata = address + 1 and SLVERR for address 0xbad0.
    void cycle() {
        t.ack_i = 0;
        if (pending_ && --wait_ == 0) {
            t.ack_i = 1;
            t.ack_err_i = requests.back().addr == 0xbad0;
            t.ack_rdata_i = requests.back().addr + 1;
            pending_ = false;
        }
        t.clk_i = 0;
        t.eval();
        if (t.req_o) {
            requests.push_back({bool(t.req_write_o), t.req_addr_o, t.req_wdata_o, t.req_wstrb_o});
            pending_ = true;
            wait_ = latency;
        }
        t.clk_i = 1;
        t.eval();
    }

    // Runs until `done` holds before an edge (the handshake that edge takes).
    template <typename Done>
    void until(Done done) {
        for (int c = 0; c < 100; ++c) {
            t.clk_i = 0;
            t.eval();
            if (done()) return;
            cycle();
        }
        FAIL() << "no handshake in 100 cycles";
    }

    Vmplsec_axil_slave t;
    std::vector<Request> requests;
    int latency = 3;

private:
    bool pending_ = false;
    int wait_ = 0;
};

TEST_F(AxilSlaveTest, WriteWithAddressBeforeData) {
    t.awaddr_i = 0x0114;
    t.awvalid_i = 1;
    until([&] { return t.awready_o; });
    cycle();
    t.awvalid_i = 0;
    for (int i = 0; i < 5; ++i) cycle();
    EXPECT_TRUE(requests.empty()) << "no request before the data";
    t.wdata_i = 0xcafe;
    t.wstrb_i = 0x3;
    t.wvalid_i = 1;
    until([&] { return t.wready_o; });
    cycle();
    t.wvalid_i = 0;
    until([&] { return t.bvalid_o; });
    ASSERT_EQ(requests.size(), 1u);
    EXPECT_TRUE(requests[0].write);
    EXPECT_EQ(requests[0].addr, 0x0114u);
    EXPECT_EQ(requests[0].wdata, 0xcafeu);
    EXPECT_EQ(requests[0].wstrb, 0x3u);
    EXPECT_EQ(t.bresp_o, 0u);
    // The response waits for BREADY.
    for (int i = 0; i < 5; ++i) cycle();
    EXPECT_TRUE(t.bvalid_o);
    t.bready_i = 1;
    cycle();
    EXPECT_FALSE(t.bvalid_o);
    EXPECT_EQ(requests.size(), 1u);
}

TEST_F(AxilSlaveTest, WriteWithDataBeforeAddressAndSlverr) {
    t.wdata_i = 7;
    t.wstrb_i = 0xf;
    t.wvalid_i = 1;
    until([&] { return t.wready_o; });
    cycle();
    t.wvalid_i = 0;
    t.arvalid_i = 1;  // a read must wait behind the half-taken write
    t.araddr_i = 0x0200;
    cycle();
    EXPECT_FALSE(t.arready_o);
    t.awaddr_i = 0xbad0;
    t.awvalid_i = 1;
    until([&] { return t.awready_o; });
    cycle();
    t.awvalid_i = 0;
    t.bready_i = 1;
    until([&] { return t.bvalid_o; });
    EXPECT_EQ(t.bresp_o, 2u);
    cycle();
    t.rready_i = 1;
    until([&] { return t.arready_o; });
    cycle();
    t.arvalid_i = 0;
    until([&] { return t.rvalid_o; });
    EXPECT_EQ(t.rdata_o, 0x0201u);
    EXPECT_EQ(t.rresp_o, 0u);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_EQ(requests[0].addr, 0xbad0u);
    EXPECT_FALSE(requests[1].write);
}

TEST_F(AxilSlaveTest, ReadAndWriteInTheSameCycleAreBothServed) {
    latency = 1;
    t.awaddr_i = 0x0300;
    t.wdata_i = 0x55;
    t.wstrb_i = 0xf;
    t.araddr_i = 0x0400;
    t.awvalid_i = t.wvalid_i = t.arvalid_i = 1;
    t.bready_i = t.rready_i = 1;
    t.clk_i = 0;
    t.eval();
    ASSERT_TRUE(t.awready_o && t.wready_o && t.arready_o);
    cycle();
    t.awvalid_i = t.wvalid_i = t.arvalid_i = 0;
    int reads = 0, writes = 0;
    for (int c = 0; c < 40; ++c) {
        t.clk_i = 0;
        t.eval();
        if (t.rvalid_o) {
            ++reads;
            EXPECT_EQ(t.rdata_o, 0x0401u);
        }
        writes += t.bvalid_o;
        cycle();
    }
    EXPECT_EQ(reads, 1);
    EXPECT_EQ(writes, 1);
    ASSERT_EQ(requests.size(), 2u);
    EXPECT_FALSE(requests[0].write);
    EXPECT_EQ(requests[0].addr, 0x0400u);
    EXPECT_TRUE(requests[1].write);
    EXPECT_EQ(requests[1].addr, 0x0300u);
    EXPECT_EQ(requests[1].wdata, 0x55u);
}

}  // namespace
}  // namespace mplsec::rtltest
