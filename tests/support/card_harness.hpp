// A card loaded with a configuration, for tests that push frames through
// it and look at what comes out.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "frame_builder.hpp"

namespace mplsec::test {
using namespace mplsec::framegen;  // NOLINT: the tests speak in frames
}
#include "mplsec/device.hpp"
#include "mplsec/table_image.hpp"

namespace mplsec::test {

struct Output {
    std::vector<drivers::TxFrame> sent;          // on Ethernet ports, in order
    std::vector<drivers::PuntedFrame> punted;    // to the host, in order
};

class CardHarness {
public:
    // `device`: "model" (HLS C-model) or "model:rtl" (Verilated RTL).
    CardHarness(const std::string& device, const std::string& config_yaml);

    Output run(uint8_t port, const std::vector<Bytes>& frames);
    uint64_t reason_count(regs::Reason reason);
    drivers::Device& device() { return *device_; }
    const tables::TableImage& image() const { return image_; }

private:
    std::unique_ptr<drivers::Device> device_;
    tables::TableImage image_;
};

// Names a parameterised test after the device it runs on ("model", "rtl",
// "sim"), for INSTANTIATE_TEST_SUITE_P.
struct EngineName {
    template <typename ParamInfo>
    std::string operator()(const ParamInfo& info) const {
        if (info.param == "model:rtl") return "rtl";
        if (info.param == "model:card") return "card";  // RTL register file and datapath
        return info.param;
    }
};

// The configuration most datapath tests use: a PE with customer port 0
// (VRF blue) and core port 1. See card_harness.cpp for the tables.
extern const char* const kPeConfig;

}  // namespace mplsec::test
