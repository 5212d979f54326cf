// libFuzzer target: any bytes as a frame on any port of a card loaded with
// the test PE configuration plus inbound SAs (small SPIs the fuzzer finds
// quickly, plain and UDP-encapsulated ESP to the card's address under label
// 16) and an IPv6-outer outbound SA, so the ESP stage's parsing, SPI
// lookup, ICV, replay and padding paths are fuzzed too. The datapath must
// decide every frame without reading outside it, hanging, or crashing; a
// forwarded frame is never shorter than 60 or longer than the input plus a
// tag, three labels and what encryption adds.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "support/card_harness.hpp"

namespace {

// A tag, three labels, an IPv6 outer header, UDP, ESP header and IV, the
// most padding, the trailer and the ICV.
constexpr std::size_t kMaxGrowth = 4 + 12 + 40 + 8 + 16 + 3 + 2 + 16;

const std::string kFuzzConfig = std::string(mplsec::test::kPeConfig) + R"(
  - {name: from-pe2, dir: in, spi: 0x100, cipher: aes-128-gcm, key: "000102030405060708090a0b0c0d0e0f",
     salt: "01020304", tunnel: {src: "192.0.2.2", dst: "192.0.2.1"}, replay_window: 64}
  - {name: from-pe3, dir: in, spi: 0x101, cipher: aes-256-gcm,
     key: "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", salt: "01020304",
     tunnel: {src: "192.0.2.3", dst: "192.0.2.1"}, esn: false, encap: udp}
  - {name: to-pe4, dir: out, spi: 0x1002, cipher: aes-128-gcm, key: "000102030405060708090a0b0c0d0e0f",
     salt: "01020304", tunnel: {src: "2001:db8::1", dst: "2001:db8::4"}}
)";

mplsec::test::CardHarness& card() {
    static mplsec::test::CardHarness harness("model", kFuzzConfig);
    return harness;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t port = data[0] & 1;
    const std::vector<uint8_t> frame(data + 1, data + size);
    card().device().port_send(port, frame);
    for (const auto& out : card().device().port_run()) {
        if (out.bytes.size() < 60 || out.bytes.size() > frame.size() + kMaxGrowth + 60) std::abort();
    }
    while (card().device().pop_punt()) {
    }
    return 0;
}
