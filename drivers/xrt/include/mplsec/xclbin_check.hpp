// Checks an xclbin before it goes near a card: the container is whole, it
// was built for the card's platform, it holds the mplsec kernel and its
// USER_METADATA says which register map it speaks. Needs no card: XRT
// parses the file on the host.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace mplsec::drivers {

// The RTL kernel's name in the xclbin's IP layout ("mplsec_card:mplsec_card_1").
inline constexpr const char* kXclbinKernel = "mplsec_card";

enum class XclbinProblem {
    none,
    unreadable,      // cannot open or read the file
    empty,           // zero bytes
    not_xclbin,      // no "xclbin2" magic, or a header no xclbin has
    truncated,       // shorter than its own header or sections say
    rejected,        // XRT refused to parse it
    wrong_platform,  // built for another platform (XSA)
    no_kernel,       // the IP layout lacks the mplsec kernel
    no_metadata,     // no USER_METADATA section
    bad_metadata,    // USER_METADATA is not the JSON mplsec writes
    wrong_regmap,    // a register-map major version this runtime does not speak
};

// What the build writes into USER_METADATA, as JSON:
//   {"regmap_version": "1.0", "kernels": ["mplsec_card"], "git_revision": "8149703"}
struct XclbinMetadata {
    uint32_t regmap_major = 0;
    uint32_t regmap_minor = 0;
    std::vector<std::string> kernels;
    std::string git_revision;
};

struct XclbinCheck {
    XclbinProblem problem = XclbinProblem::none;
    std::string message;          // empty when ok(); otherwise names the file and the fault
    std::string platform;         // the platform (XSA / VBNV) it was built for
    std::string uuid;             // the xclbin's UUID
    std::string kernel_instance;  // IP layout name of the kernel, e.g. "mplsec_card:mplsec_card_1"
    XclbinMetadata metadata;

    bool ok() const { return problem == XclbinProblem::none; }
};

// `expected_platform` empty: any platform is accepted.
XclbinCheck check_xclbin(const std::string& path, const std::string& expected_platform = "");

// The same on bytes already in memory; `label` names them in messages.
XclbinCheck check_xclbin_bytes(const std::vector<char>& bytes, const std::string& label,
                               const std::string& expected_platform = "");

}  // namespace mplsec::drivers
