// The pieces under mplsecd's API, without a socket: the v1 codec and line
// framing, the table diff and its make-before-break transaction, roles.
#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <sstream>

#include "daemon/access.hpp"
#include "mplsec/api_protocol.hpp"
#include "mplsec/apply.hpp"
#include "mplsec/config.hpp"
#include "mplsec/device.hpp"
#include "mplsec/table_diff.hpp"
#include "mplsec/table_image.hpp"

namespace {

using namespace mplsec;
using nlohmann::json;

api::ErrorCode code_of(const std::string& line) {
    try {
        api::parse_request(line);
    } catch (const api::ApiError& e) {
        return e.code();
    }
    ADD_FAILURE() << "accepted: " << line;
    return api::ErrorCode::forbidden;
}

TEST(ApiCodec, ParsesARequest) {
    const api::Request r = api::parse_request(R"({"v":1,"id":42,"method":"show","params":{"what":"ilm"}})");
    EXPECT_EQ(r.id, 42u);
    EXPECT_EQ(r.method, "show");
    EXPECT_EQ(r.params["what"], "ilm");
    EXPECT_TRUE(api::parse_request(R"({"v":1,"id":0,"method":"status"})").params.is_object());
}

TEST(ApiCodec, RefusesWhatIsNotARequest) {
    EXPECT_EQ(code_of("{nope"), api::ErrorCode::bad_request);
    EXPECT_EQ(code_of("[1,2]"), api::ErrorCode::bad_request);
    EXPECT_EQ(code_of(R"({"v":1,"method":"status"})"), api::ErrorCode::bad_request);
    EXPECT_EQ(code_of(R"({"v":1,"id":-1,"method":"status"})"), api::ErrorCode::bad_request);
    EXPECT_EQ(code_of(R"({"v":1,"id":1,"method":"show","params":[1]})"), api::ErrorCode::bad_request);
    try {
        api::parse_request(R"({"v":2,"id":5,"method":"status"})");
        FAIL();
    } catch (const api::ApiError& e) {
        EXPECT_EQ(e.id(), 5) << "a request with a readable id is answered with it";
    }
}

TEST(ApiCodec, EncodesOneLineWithVersionFirst) {
    const std::string line = api::encode_result(3, {{"text", "a\nb"}});
    EXPECT_EQ(line.rfind(R"({"v":1,"id":3,"result":)", 0), 0u) << line;
    EXPECT_EQ(line.find('\n'), line.size() - 1);
    const api::Response r = api::decode_response(api::encode_error(nullptr, api::ErrorCode::too_large, "big"));
    EXPECT_TRUE(r.id.is_null());
    EXPECT_EQ(r.error, api::ErrorCode::too_large);
    EXPECT_EQ(r.message, "big");
    EXPECT_THROW(api::decode_response("{}"), std::runtime_error);
}

TEST(LineReader, SplitsLinesAndSpotsOversize) {
    api::LineReader reader(8);
    reader.append("ab\r\ncd", 6);
    EXPECT_EQ(reader.next_line(), "ab");
    EXPECT_FALSE(reader.next_line());
    EXPECT_FALSE(reader.too_large());
    reader.append("efgh\n", 5);
    EXPECT_EQ(reader.next_line(), "cdefgh");
    reader.append("123456789", 9);  // 9 bytes, no newline yet: already over
    EXPECT_TRUE(reader.too_large());
    EXPECT_FALSE(reader.next_line());
}

std::string read_text(const std::string& path) {
    std::ifstream in(path);
    std::ostringstream text;
    text << in.rdbuf();
    return text.str();
}

struct Images {
    tables::TableImage before, after;
};

// pe1 and a copy with label 24002 removed and a route added.
Images pe1_and_edit(uint32_t clock_khz) {
    const std::string text = read_text(std::string(SOURCE_DIR) + "/examples/pe1.yaml");
    std::string edited;
    std::istringstream lines(text);
    for (std::string line; std::getline(lines, line);) {
        if (line.find("label: 24002") != std::string::npos) continue;
        edited += line + '\n';
        if (line.find("prefix: \"10.1.0.0/16\"") != std::string::npos)
            edited += "      - {prefix: \"10.3.0.0/16\", nexthop: p, push: [1002, 24003]}\n";
    }
    return {tables::compile(config::load_string(text, "pe1.yaml"), clock_khz),
            tables::compile(config::load_string(edited, "edit.yaml"), clock_khz)};
}

std::size_t position(const runtime::TableDiff& diff, regs::TableId table, runtime::ChangeKind kind) {
    for (std::size_t i = 0; i < diff.changes.size(); ++i)
        if (diff.changes[i].table == table && diff.changes[i].kind == kind) return i;
    return diff.changes.size();
}

TEST(TableDiff, SameImageNoChange) {
    const Images images = pe1_and_edit(322266);
    EXPECT_TRUE(runtime::diff_images(images.before, images.before).empty());
}

TEST(TableDiff, RemovesPointerBeforeTarget) {
    const Images images = pe1_and_edit(322266);
    const runtime::TableDiff diff = runtime::diff_images(images.before, images.after);
    const std::size_t ilm_removed = position(diff, regs::TableId::ilm, runtime::ChangeKind::removed);
    const std::size_t nhlfe_removed = position(diff, regs::TableId::nhlfe, runtime::ChangeKind::removed);
    const std::size_t route_added = position(diff, regs::TableId::route, runtime::ChangeKind::added);
    ASSERT_LT(ilm_removed, diff.changes.size());
    ASSERT_LT(nhlfe_removed, diff.changes.size());
    ASSERT_LT(route_added, diff.changes.size());
    EXPECT_LT(ilm_removed, nhlfe_removed) << "the ILM entry stops pointing before its NHLFE goes";
    EXPECT_LT(route_added, ilm_removed) << "writes come before removals";
    EXPECT_EQ(diff.changes[ilm_removed].name, "label 24002");
    EXPECT_EQ(runtime::describe_entry(regs::TableId::nhlfe, diff.changes[nhlfe_removed].old_words, images.before),
              "pop via ce1 ttl pipe");
}

// After the transaction the card holds exactly what a fresh write of the
// new image gives, and what the old image had alone is zero.
TEST(TableDiff, ApplyReachesTheNewImage) {
    auto device = drivers::open_device("model");
    const uint32_t clock = device->check_identity().clock_khz;
    const Images images = pe1_and_edit(clock);
    runtime::apply_image(*device, images.before);
    const runtime::TableDiff diff = runtime::diff_images(images.before, images.after);
    runtime::apply_diff(*device, diff, images.after);
    for (const tables::TableWrite& w : images.after.writes)
        EXPECT_EQ(device->read_entry(w.table, w.index), w.words);
    EXPECT_EQ(device->read_entry(regs::TableId::ilm, 24002), std::vector<uint32_t>{0});
}

TEST(Access, RootIsAdminNobodyIsViewer) {
    EXPECT_EQ(daemon::role_of_uid(0), daemon::Role::admin);
    if (::geteuid() != 65534) {
        EXPECT_EQ(daemon::role_of_uid(65534), daemon::Role::viewer);
    }
    EXPECT_TRUE(daemon::covers(daemon::Role::admin, daemon::Role::operator_));
    EXPECT_FALSE(daemon::covers(daemon::Role::viewer, daemon::Role::operator_));
}

}  // namespace
