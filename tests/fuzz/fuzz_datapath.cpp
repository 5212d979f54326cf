// libFuzzer target: any bytes as a frame on any port of a card loaded with
// the test PE configuration. The datapath must decide every frame without
// reading outside it, hanging, or crashing; a forwarded frame is never
// shorter than 60 or longer than the input plus three labels and a tag.
#include <cstddef>
#include <cstdint>
#include <cstdlib>

#include "support/card_harness.hpp"

namespace {

mplsec::test::CardHarness& card() {
    static mplsec::test::CardHarness harness("model", mplsec::test::kPeConfig);
    return harness;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const uint8_t port = data[0] & 1;
    const std::vector<uint8_t> frame(data + 1, data + size);
    card().device().port_send(port, frame);
    for (const auto& out : card().device().port_run()) {
        if (out.bytes.size() < 60 || out.bytes.size() > frame.size() + 16 + 60) std::abort();
    }
    while (card().device().pop_punt()) {
    }
    return 0;
}
