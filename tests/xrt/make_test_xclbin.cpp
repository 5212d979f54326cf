// Writes an xclbin container of a given kind for the CLI and daemon tests
// (tests/cli/cli_test.sh, tests/daemon/daemon_test.py), from the same axlf
// structs as the validator's unit tests.
//
// usage: make_test_xclbin KIND OUT
//   valid         mplsec_card kernel, USER_METADATA of this register map
//   wrong-regmap  USER_METADATA names another register map major version
//   no-kernel     the IP layout lacks mplsec_card
//   truncated     a valid container cut short
//   garbage       not an xclbin at all
#include <cstdio>
#include <string>

#include "mplsec/regs.hpp"
#include "xclbin_writer.hpp"

int main(int argc, char** argv) {
    using mplsec::testing::XclbinSpec;
    if (argc != 3) {
        std::fprintf(stderr, "usage: make_test_xclbin valid|wrong-regmap|no-kernel|truncated|garbage OUT\n");
        return 2;
    }
    const std::string kind = argv[1];
    auto metadata = [](unsigned major) {
        return "{\"regmap_version\": \"" + std::to_string(major) + "." +
               std::to_string(mplsec::regs::kRegmapVersionMinor) +
               "\", \"kernels\": [\"mplsec_card\"], \"git_revision\": \"0123456\"}";
    };
    XclbinSpec spec;
    spec.metadata = metadata(mplsec::regs::kRegmapVersionMajor);
    std::vector<char> bytes;
    if (kind == "valid") {
        bytes = make_xclbin(spec);
    } else if (kind == "wrong-regmap") {
        spec.metadata = metadata(mplsec::regs::kRegmapVersionMajor + 1);
        bytes = make_xclbin(spec);
    } else if (kind == "no-kernel") {
        spec.ips = {"other_kernel:other_kernel_1"};
        bytes = make_xclbin(spec);
    } else if (kind == "truncated") {
        bytes = make_xclbin(spec);
        bytes.resize(bytes.size() / 2);
    } else if (kind == "garbage") {
        const std::string text = "this is not an xclbin, just some words\n";
        bytes.assign(text.begin(), text.end());
    } else {
        std::fprintf(stderr, "make_test_xclbin: unknown kind '%s'\n", kind.c_str());
        return 2;
    }
    mplsec::testing::write_file(argv[2], bytes);
    return 0;
}
