// Opening `xrt:*` on a host without an Alveo card: a DeviceError that says
// so, never an abort from inside XRT, whatever XILINX_XRT holds.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>

#include "mplsec/device.hpp"
#include "mplsec/xrt_device.hpp"

namespace mplsec::drivers {
namespace {

namespace fs = std::filesystem;

// Sets or unsets an environment variable for one scope.
class ScopedEnv {
public:
    ScopedEnv(const char* name, const char* value) : name_(name) {
        if (const char* old = std::getenv(name)) old_ = old;
        if (value) ::setenv(name, value, 1);
        else ::unsetenv(name);
    }
    ~ScopedEnv() {
        if (old_) ::setenv(name_, old_->c_str(), 1);
        else ::unsetenv(name_);
    }

private:
    const char* name_;
    std::optional<std::string> old_;
};

std::string open_error(const std::string& spec) {
    try {
        open_device(spec);
    } catch (const DeviceError& e) {
        return e.what();
    }
    return "(no error)";
}

class NoCardTest : public ::testing::Test {
protected:
    void SetUp() override {
        if (!find_alveo_cards().user_functions.empty()) GTEST_SKIP() << "this host has an Alveo card";
    }
};

TEST_F(NoCardTest, IndexWithoutXilinxXrt) {
    ScopedEnv env("XILINX_XRT", nullptr);
    const std::string error = open_error("xrt:0");
    EXPECT_EQ(error.rfind("device 'xrt:0': no Alveo card at index 0; this host has 0 cards", 0), 0u) << error;
}

TEST_F(NoCardTest, IndexWithBrokenXilinxXrt) {
    ScopedEnv env("XILINX_XRT", "/usr");  // Debian: lib/libxrt_core.so.2 is not there
    const std::string error = open_error("xrt:0");
    EXPECT_EQ(error.rfind("device 'xrt:0': no Alveo card at index 0; this host has 0 cards", 0), 0u) << error;
}

TEST_F(NoCardTest, HigherIndex) {
    const std::string error = open_error("xrt:3");
    EXPECT_EQ(error.rfind("device 'xrt:3': no Alveo card at index 3; this host has 0 cards", 0), 0u) << error;
}

TEST_F(NoCardTest, PciAddress) {
    ScopedEnv env("XILINX_XRT", nullptr);
    EXPECT_EQ(open_error("xrt:0000:3b:00.1").rfind("device 'xrt:0000:3b:00.1': no Alveo card at 0000:3b:00.1; this host has 0 cards", 0), 0u);
    EXPECT_EQ(open_error("xrt:3B:00.1").rfind("device 'xrt:3B:00.1': no Alveo card at 0000:3b:00.1;", 0), 0u);
}

TEST(XrtOpen, NotACardSpec) {
    const std::string error = open_error("xrt:banana");
    EXPECT_NE(error.find("'banana' is neither a card index nor a PCI address"), std::string::npos) << error;
}

TEST(XrtCards, MessagesFromAScan) {
    AlveoCards none;
    EXPECT_EQ(missing_card_message("0", none),
              "device 'xrt:0': no Alveo card at index 0; this host has 0 cards (no PCI function is bound to the "
              "xocl driver)");
    AlveoCards two{{"0000:3b:00.1", "0000:d8:00.1"}, {"0000:3b:00.0", "0000:d8:00.0"}};
    EXPECT_EQ(missing_card_message("0", two), "");
    EXPECT_EQ(missing_card_message("1", two), "");
    EXPECT_EQ(missing_card_message("2", two),
              "device 'xrt:2': no Alveo card at index 2; this host has 2 cards (0000:3b:00.1, 0000:d8:00.1)");
    EXPECT_EQ(missing_card_message("d8:00.1", two), "");
    EXPECT_EQ(missing_card_message("0000:3b:00.0", two),
              "device 'xrt:0000:3b:00.0': 0000:3b:00.0 is an Alveo management function (xclmgmt); use the user "
              "function bound to xocl; this host has 2 cards (0000:3b:00.1, 0000:d8:00.1)");
    AlveoCards mgmt_only{{}, {"0000:3b:00.0"}};
    EXPECT_NE(missing_card_message("0", mgmt_only).find("0000:3b:00.0 is bound to xclmgmt only"), std::string::npos);
}

TEST(XrtCards, ScanOfAFakeSysfs) {
    const fs::path root = fs::temp_directory_path() / ("mplsec_sysfs_" + std::to_string(::getpid()));
    fs::create_directories(root / "bus/pci/drivers/xocl");
    fs::create_directories(root / "bus/pci/drivers/xclmgmt");
    for (const char* f : {"0000:d8:00.1", "0000:3b:00.1", "bind", "new_id", "module"})
        std::ofstream(root / "bus/pci/drivers/xocl" / f).put('\n');
    std::ofstream(root / "bus/pci/drivers/xclmgmt/0000:3b:00.0").put('\n');
    const AlveoCards cards = find_alveo_cards(root.string());
    fs::remove_all(root);
    EXPECT_EQ(cards.user_functions, (std::vector<std::string>{"0000:3b:00.1", "0000:d8:00.1"}));
    EXPECT_EQ(cards.mgmt_functions, (std::vector<std::string>{"0000:3b:00.0"}));
    EXPECT_TRUE(find_alveo_cards("/nonexistent").user_functions.empty());
}

// The daemon's default device (DESIGN.md 5.3): the first Alveo card, else
// the virtual card.
TEST(XrtCards, DefaultDeviceIsTheFirstAlveoCardElseTheVirtualCard) {
    const fs::path root = fs::temp_directory_path() / ("mplsec_sysfs_default_" + std::to_string(::getpid()));
    fs::create_directories(root / "bus/pci/drivers/xclmgmt");
    std::ofstream(root / "bus/pci/drivers/xclmgmt/0000:3b:00.0").put('\n');
    const std::string without_user_function = default_device_spec(root.string());
    fs::create_directories(root / "bus/pci/drivers/xocl");
    std::ofstream(root / "bus/pci/drivers/xocl/0000:3b:00.1").put('\n');
    const std::string with_card = default_device_spec(root.string());
    const std::vector<std::string> listed = list_alveo_cards(root.string());
    fs::remove_all(root);
    EXPECT_EQ(default_device_spec("/nonexistent"), "sim");
    EXPECT_EQ(without_user_function, "sim") << "a management function alone is not a usable card";
    EXPECT_EQ(with_card, "xrt:0");
    EXPECT_EQ(listed, std::vector<std::string>{"0000:3b:00.1"});
}

TEST(XrtCards, PciAddresses) {
    EXPECT_EQ(normalize_pci_address("0000:3b:00.1"), "0000:3b:00.1");
    EXPECT_EQ(normalize_pci_address("3B:00.1"), "0000:3b:00.1");
    EXPECT_EQ(normalize_pci_address("0000:D8:1f.7"), "0000:d8:1f.7");
    EXPECT_EQ(normalize_pci_address("0000:3b:00.8"), "");
    EXPECT_EQ(normalize_pci_address("3b:00"), "");
    EXPECT_EQ(normalize_pci_address("0"), "");
    EXPECT_EQ(normalize_pci_address("zz:00.1"), "");
}

TEST(XrtEnvironment, ExplainsWhatXrtNeeds) {
    {
        ScopedEnv env("XILINX_XRT", nullptr);
        EXPECT_EQ(xrt_environment_problem().rfind("XILINX_XRT is not set", 0), 0u);
    }
    {
        ScopedEnv env("XILINX_XRT", "/nonexistent");
        EXPECT_EQ(xrt_environment_problem(), "XILINX_XRT=/nonexistent has no lib/libxrt_core.so.2, which XRT loads from there");
    }
    const fs::path tree = fs::temp_directory_path() / ("mplsec_xrt_" + std::to_string(::getpid()));
    fs::create_directories(tree / "lib");
    std::ofstream(tree / "lib/libxrt_core.so.2").put('\n');
    {
        ScopedEnv env("XILINX_XRT", tree.c_str());
        EXPECT_EQ(xrt_environment_problem(), "");
    }
    fs::remove_all(tree);
}

}  // namespace
}  // namespace mplsec::drivers
