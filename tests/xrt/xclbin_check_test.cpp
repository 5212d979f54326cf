// The xclbin validator on containers written here from XRT's axlf structs:
// every refusal names the file and the fault. Needs no card.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <random>

#include "mplsec/device.hpp"
#include "mplsec/regs.hpp"
#include "mplsec/xclbin_check.hpp"
#include "xclbin_writer.hpp"

namespace mplsec::drivers {
namespace {

using testing::XclbinSpec;
using testing::make_xclbin;
using testing::write_file;
namespace fs = std::filesystem;

class XclbinCheckTest : public ::testing::Test {
protected:
    void SetUp() override {
        dir_ = fs::temp_directory_path() / ("mplsec_xclbin_" + std::to_string(::getpid()) + "_" +
                                            ::testing::UnitTest::GetInstance()->current_test_info()->name());
        fs::create_directories(dir_);
    }
    void TearDown() override { fs::remove_all(dir_); }

    std::string write(const std::string& name, const std::vector<char>& bytes) {
        const std::string path = (dir_ / name).string();
        write_file(path, bytes);
        return path;
    }
    std::string write(const std::string& name, const XclbinSpec& spec) { return write(name, make_xclbin(spec)); }

    fs::path dir_;
};

constexpr const char* kU250 = "xilinx_u250_gen3x16_xdma_4_1_202210_1";

// `device load` on a virtual card: the same check (any platform), then the
// card comes back empty, as after a bitstream load.
TEST_F(XclbinCheckTest, LoadBitstreamChecksThenReloadsTheCard) {
    auto card = open_device("model");
    card->write_entry(regs::TableId::ilm, 100, {0x5});
    XclbinSpec other_platform;
    other_platform.platform = "xilinx_u55c_gen3x16_xdma_3_202210_1";
    const Identity id = load_bitstream(*card, write("ok.xclbin", other_platform));
    EXPECT_EQ(id.regmap_version >> 16, regs::kRegmapVersionMajor);
    EXPECT_EQ(card->read_entry(regs::TableId::ilm, 100), std::vector<uint32_t>{0}) << "tables empty after the load";

    card->write_entry(regs::TableId::ilm, 100, {0x5});
    XclbinSpec no_kernel;
    no_kernel.ips = {"other:other_1"};
    try {
        load_bitstream(*card, write("no_kernel.xclbin", no_kernel));
        ADD_FAILURE() << "an xclbin without the kernel was loaded";
    } catch (const XclbinRefused& e) {
        EXPECT_NE(std::string(e.what()).find("no_kernel.xclbin"), std::string::npos) << e.what();
    }
    EXPECT_EQ(card->read_entry(regs::TableId::ilm, 100), std::vector<uint32_t>{0x5}) << "a refused file leaves the card alone";
}

TEST_F(XclbinCheckTest, ValidIsAccepted) {
    const std::string path = write("ok.xclbin", XclbinSpec{});
    const XclbinCheck check = check_xclbin(path, kU250);
    EXPECT_TRUE(check.ok()) << check.message;
    EXPECT_EQ(check.message, "");
    EXPECT_EQ(check.platform, kU250);
    EXPECT_EQ(check.kernel_instance, "mplsec_card:mplsec_card_1");
    EXPECT_EQ(check.metadata.regmap_major, regs::kRegmapVersionMajor);
    EXPECT_EQ(check.metadata.regmap_minor, 0u);
    EXPECT_EQ(check.metadata.git_revision, "8149703");
    ASSERT_EQ(check.metadata.kernels.size(), 1u);
    EXPECT_EQ(check.metadata.kernels[0], "mplsec_card");
    EXPECT_FALSE(check.uuid.empty());
}

TEST_F(XclbinCheckTest, AnyPlatformWhenNoneExpected) {
    XclbinSpec spec;
    spec.platform = "xilinx_u55c_gen3x16_xdma_3_202210_1";
    EXPECT_TRUE(check_xclbin(write("u55c.xclbin", spec)).ok());
}

TEST_F(XclbinCheckTest, NewerMinorVersionIsAccepted) {
    XclbinSpec spec;
    spec.metadata = R"({"regmap_version": "1.7"})";
    const XclbinCheck check = check_xclbin(write("minor.xclbin", spec), kU250);
    EXPECT_TRUE(check.ok()) << check.message;
    EXPECT_EQ(check.metadata.regmap_minor, 7u);
}

TEST_F(XclbinCheckTest, WrongPlatform) {
    XclbinSpec spec;
    spec.platform = "xilinx_u280_gen3x16_xdma_1_202211_1";
    const std::string path = write("u280.xclbin", spec);
    const XclbinCheck check = check_xclbin(path, kU250);
    EXPECT_EQ(check.problem, XclbinProblem::wrong_platform);
    EXPECT_EQ(check.message, "xclbin '" + path +
                                 "': built for platform 'xilinx_u280_gen3x16_xdma_1_202211_1', the card is '" +
                                 kU250 + "'");
}

TEST_F(XclbinCheckTest, MissingKernel) {
    XclbinSpec spec;
    spec.ips = {"krnl_vadd:krnl_vadd_1", "other:other_1"};
    const std::string path = write("nokernel.xclbin", spec);
    const XclbinCheck check = check_xclbin(path, kU250);
    EXPECT_EQ(check.problem, XclbinProblem::no_kernel);
    EXPECT_EQ(check.message, "xclbin '" + path +
                                 "': the IP layout lacks the mplsec kernel 'mplsec_card' (it has "
                                 "krnl_vadd:krnl_vadd_1, other:other_1)");
}

TEST_F(XclbinCheckTest, NoIpLayoutAtAll) {
    XclbinSpec spec;
    spec.with_ip_layout = false;
    const XclbinCheck check = check_xclbin(write("noips.xclbin", spec));
    EXPECT_EQ(check.problem, XclbinProblem::no_kernel);
    EXPECT_NE(check.message.find("lacks the mplsec kernel 'mplsec_card' (it has no IPs)"), std::string::npos)
        << check.message;
}

TEST_F(XclbinCheckTest, KernelNameMustMatchExactly) {
    XclbinSpec spec;
    spec.ips = {"mplsec_card_v2:mplsec_card_v2_1"};
    EXPECT_EQ(check_xclbin(write("v2.xclbin", spec)).problem, XclbinProblem::no_kernel);
}

TEST_F(XclbinCheckTest, MissingMetadata) {
    XclbinSpec spec;
    spec.with_metadata = false;
    const std::string path = write("nometa.xclbin", spec);
    const XclbinCheck check = check_xclbin(path, kU250);
    EXPECT_EQ(check.problem, XclbinProblem::no_metadata);
    EXPECT_EQ(check.message.rfind("xclbin '" + path + "': no USER_METADATA section", 0), 0u) << check.message;
}

TEST_F(XclbinCheckTest, MetadataNotJson) {
    XclbinSpec spec;
    spec.metadata = "regmap_version=1.0";
    const XclbinCheck check = check_xclbin(write("badmeta.xclbin", spec));
    EXPECT_EQ(check.problem, XclbinProblem::bad_metadata);
    EXPECT_NE(check.message.find("USER_METADATA is not JSON"), std::string::npos) << check.message;
}

TEST_F(XclbinCheckTest, MetadataWithoutVersion) {
    XclbinSpec spec;
    spec.metadata = R"({"kernels": ["mplsec_card"]})";
    const XclbinCheck check = check_xclbin(write("nover.xclbin", spec));
    EXPECT_EQ(check.problem, XclbinProblem::bad_metadata);
    EXPECT_NE(check.message.find("no \"regmap_version\" string"), std::string::npos) << check.message;
    spec.metadata = R"({"regmap_version": "one"})";
    const XclbinCheck words = check_xclbin(write("words.xclbin", spec));
    EXPECT_EQ(words.problem, XclbinProblem::bad_metadata);
    EXPECT_NE(words.message.find("regmap_version 'one' is not MAJOR.MINOR"), std::string::npos) << words.message;
}

TEST_F(XclbinCheckTest, WrongRegisterMapVersion) {
    XclbinSpec spec;
    spec.metadata = R"({"regmap_version": "2.0", "kernels": ["mplsec_card"], "git_revision": "deadbee"})";
    const std::string path = write("v2map.xclbin", spec);
    const XclbinCheck check = check_xclbin(path, kU250);
    EXPECT_EQ(check.problem, XclbinProblem::wrong_regmap);
    EXPECT_EQ(check.message.rfind("xclbin '" + path + "': register map version 2.0 (USER_METADATA), this runtime speaks " +
                                      std::to_string(regs::kRegmapVersionMajor) + "." +
                                      std::to_string(regs::kRegmapVersionMinor),
                                  0),
              0u)
        << check.message;
}

TEST_F(XclbinCheckTest, TruncatedInsideASection) {
    std::vector<char> bytes = make_xclbin(XclbinSpec{});
    bytes.resize(bytes.size() - 40);
    const std::string path = write("cut.xclbin", bytes);
    const XclbinCheck check = check_xclbin(path);
    EXPECT_EQ(check.problem, XclbinProblem::truncated);
    EXPECT_EQ(check.message, "xclbin '" + path + "': truncated: the header declares " +
                                 std::to_string(bytes.size() + 40) + " bytes, the file has " +
                                 std::to_string(bytes.size()));
}

TEST_F(XclbinCheckTest, TruncatedInsideTheHeader) {
    std::vector<char> bytes = make_xclbin(XclbinSpec{});
    bytes.resize(100);
    const std::string path = write("head.xclbin", bytes);
    const XclbinCheck check = check_xclbin(path);
    EXPECT_EQ(check.problem, XclbinProblem::truncated);
    EXPECT_EQ(check.message, "xclbin '" + path + "': truncated: 100 bytes, the xclbin header alone is 456");
}

TEST_F(XclbinCheckTest, SectionPastTheEnd) {
    std::vector<char> bytes = make_xclbin(XclbinSpec{});
    auto* top = reinterpret_cast<axlf*>(bytes.data());
    top->m_sections[0].m_sectionSize = 1u << 20;
    const XclbinCheck check = check_xclbin(write("sect.xclbin", bytes));
    EXPECT_EQ(check.problem, XclbinProblem::truncated);
    EXPECT_NE(check.message.find("section IP_LAYOUT at offset"), std::string::npos) << check.message;
    EXPECT_NE(check.message.find("ends past the end of the xclbin"), std::string::npos) << check.message;
}

TEST_F(XclbinCheckTest, IpLayoutCountTooLarge) {
    std::vector<char> bytes = make_xclbin(XclbinSpec{});
    auto* top = reinterpret_cast<axlf*>(bytes.data());
    reinterpret_cast<ip_layout*>(bytes.data() + top->m_sections[0].m_sectionOffset)->m_count = 1000;
    const XclbinCheck check = check_xclbin(write("count.xclbin", bytes));
    EXPECT_EQ(check.problem, XclbinProblem::truncated);
    EXPECT_NE(check.message.find("IP_LAYOUT"), std::string::npos) << check.message;
}

TEST_F(XclbinCheckTest, Garbage) {
    std::vector<char> bytes(4096);
    std::mt19937 random(7);
    for (char& b : bytes) b = static_cast<char>(random());
    const std::string path = write("garbage.xclbin", bytes);
    const XclbinCheck check = check_xclbin(path);
    EXPECT_EQ(check.problem, XclbinProblem::not_xclbin);
    EXPECT_EQ(check.message,
              "xclbin '" + path + "': not an xclbin (no \"xclbin2\" magic at offset 0; 4096 bytes of something else)");
}

TEST_F(XclbinCheckTest, TextFileIsNotAnXclbin) {
    const std::string text = "#!/bin/sh\necho hello\n";
    const XclbinCheck check = check_xclbin(write("script.xclbin", std::vector<char>(text.begin(), text.end())));
    EXPECT_EQ(check.problem, XclbinProblem::not_xclbin);
}

TEST_F(XclbinCheckTest, MagicButNonsenseHeader) {
    std::vector<char> bytes = make_xclbin(XclbinSpec{});
    reinterpret_cast<axlf*>(bytes.data())->m_header.m_numSections = 0x7fffffff;
    const XclbinCheck check = check_xclbin(write("hdr.xclbin", bytes));
    EXPECT_EQ(check.problem, XclbinProblem::not_xclbin);
    EXPECT_NE(check.message.find("header declares"), std::string::npos) << check.message;
}

TEST_F(XclbinCheckTest, EmptyFile) {
    const std::string path = write("empty.xclbin", std::vector<char>{});
    const XclbinCheck check = check_xclbin(path);
    EXPECT_EQ(check.problem, XclbinProblem::empty);
    EXPECT_EQ(check.message, "xclbin '" + path + "': empty file (0 bytes), not an xclbin");
}

TEST_F(XclbinCheckTest, MissingFile) {
    const std::string path = (dir_ / "absent.xclbin").string();
    const XclbinCheck check = check_xclbin(path);
    EXPECT_EQ(check.problem, XclbinProblem::unreadable);
    EXPECT_EQ(check.message, "xclbin '" + path + "': cannot open: No such file or directory");
}

}  // namespace
}  // namespace mplsec::drivers
