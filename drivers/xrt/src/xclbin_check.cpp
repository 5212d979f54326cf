// xclbin validation without a card. The container is checked by hand first
// (XRT 2.13 crashes on an empty file and trusts the header's sizes), then
// XRT parses it for the platform and the IP layout.
#include "mplsec/xclbin_check.hpp"

#include <cerrno>
#include <cstddef>
#include <cstring>
#include <fstream>
#include <iterator>
#include <sstream>

#include <nlohmann/json.hpp>

#include <experimental/xrt_xclbin.h>
#include <xclbin.h>

#include "mplsec/regs.hpp"

namespace mplsec::drivers {
namespace {

constexpr std::size_t kSectionTable = offsetof(axlf, m_sections);

XclbinCheck fail(XclbinCheck check, XclbinProblem problem, const std::string& label, const std::string& what) {
    check.problem = problem;
    check.message = "xclbin '" + label + "': " + what;
    return check;
}

std::string section_name(uint32_t kind) {
    switch (kind) {
        case IP_LAYOUT: return "IP_LAYOUT";
        case USER_METADATA: return "USER_METADATA";
        case MEM_TOPOLOGY: return "MEM_TOPOLOGY";
        case CONNECTIVITY: return "CONNECTIVITY";
        case BITSTREAM: return "BITSTREAM";
        default: return "kind " + std::to_string(kind);
    }
}

std::string bounded(const unsigned char* text, std::size_t size) {
    std::size_t n = 0;
    while (n < size && text[n] != 0) ++n;
    return std::string(reinterpret_cast<const char*>(text), n);
}

// Sections XRT walks as arrays: their element counts must fit the section.
std::string check_section_counts(const char* data, const axlf_section_header& s) {
    auto count_fits = [&](std::size_t head, std::size_t element) -> bool {
        if (s.m_sectionSize < sizeof(int32_t)) return false;
        int32_t count = 0;
        std::memcpy(&count, data + s.m_sectionOffset, sizeof count);
        if (count < 0) return false;
        return head + static_cast<uint64_t>(count) * element <= s.m_sectionSize || count == 0;
    };
    bool fits = true;
    if (s.m_sectionKind == IP_LAYOUT) fits = count_fits(offsetof(ip_layout, m_ip_data), sizeof(ip_data));
    if (s.m_sectionKind == MEM_TOPOLOGY) fits = count_fits(offsetof(mem_topology, m_mem_data), sizeof(mem_data));
    if (s.m_sectionKind == CONNECTIVITY) fits = count_fits(offsetof(connectivity, m_connection), sizeof(connection));
    if (fits) return "";
    return "section " + section_name(s.m_sectionKind) + " (" + std::to_string(s.m_sectionSize) +
           " bytes) is too short for the entry count it declares";
}

bool parse_version(const std::string& text, uint32_t& major, uint32_t& minor) {
    const std::size_t dot = text.find('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == text.size()) return false;
    for (std::size_t i = 0; i < text.size(); ++i)
        if (i != dot && (text[i] < '0' || text[i] > '9')) return false;
    if (dot > 5 || text.size() - dot - 1 > 5) return false;
    major = static_cast<uint32_t>(std::stoul(text.substr(0, dot)));
    minor = static_cast<uint32_t>(std::stoul(text.substr(dot + 1)));
    return true;
}

}  // namespace

XclbinCheck check_xclbin(const std::string& path, const std::string& expected_platform) {
    std::ifstream in(path, std::ios::binary);
    if (!in) {
        XclbinCheck check;
        return fail(check, XclbinProblem::unreadable, path, std::string("cannot open: ") + std::strerror(errno));
    }
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (in.bad()) {
        XclbinCheck check;
        return fail(check, XclbinProblem::unreadable, path, "read error");
    }
    return check_xclbin_bytes(bytes, path, expected_platform);
}

XclbinCheck check_xclbin_bytes(const std::vector<char>& bytes, const std::string& label,
                               const std::string& expected_platform) {
    XclbinCheck check;
    const std::size_t size = bytes.size();
    if (size == 0) return fail(check, XclbinProblem::empty, label, "empty file (0 bytes), not an xclbin");

    // --- the container, by hand ---
    static constexpr char kMagic[8] = {'x', 'c', 'l', 'b', 'i', 'n', '2', '\0'};
    const std::size_t magic_bytes = size < sizeof kMagic ? size : sizeof kMagic;
    if (std::memcmp(bytes.data(), kMagic, magic_bytes) != 0)
        return fail(check, XclbinProblem::not_xclbin, label,
                    "not an xclbin (no \"xclbin2\" magic at offset 0; " + std::to_string(size) + " bytes of something else)");
    if (size < kSectionTable)
        return fail(check, XclbinProblem::truncated, label,
                    "truncated: " + std::to_string(size) + " bytes, the xclbin header alone is " +
                        std::to_string(kSectionTable));
    axlf top;
    std::memcpy(&top, bytes.data(), kSectionTable);
    const axlf_header& header = top.m_header;
    if (header.m_length < kSectionTable || header.m_numSections > XCLBIN_MAX_NUM_SECTION)
        return fail(check, XclbinProblem::not_xclbin, label,
                    "not an xclbin (header declares " + std::to_string(header.m_length) + " bytes and " +
                        std::to_string(header.m_numSections) + " sections)");
    if (header.m_length > size)
        return fail(check, XclbinProblem::truncated, label,
                    "truncated: the header declares " + std::to_string(header.m_length) + " bytes, the file has " +
                        std::to_string(size));
    const uint64_t table_end = kSectionTable + uint64_t{header.m_numSections} * sizeof(axlf_section_header);
    if (table_end > header.m_length)
        return fail(check, XclbinProblem::truncated, label,
                    "truncated: " + std::to_string(header.m_numSections) + " section headers need " +
                        std::to_string(table_end) + " bytes, the xclbin has " + std::to_string(header.m_length));
    std::vector<axlf_section_header> sections(header.m_numSections);
    if (!sections.empty())
        std::memcpy(sections.data(), bytes.data() + kSectionTable, sections.size() * sizeof(axlf_section_header));
    const axlf_section_header* metadata_section = nullptr;
    for (const axlf_section_header& s : sections) {
        if (s.m_sectionOffset > header.m_length || s.m_sectionSize > header.m_length - s.m_sectionOffset)
            return fail(check, XclbinProblem::truncated, label,
                        "truncated: section " + section_name(s.m_sectionKind) + " at offset " +
                            std::to_string(s.m_sectionOffset) + " (" + std::to_string(s.m_sectionSize) +
                            " bytes) ends past the end of the xclbin (" + std::to_string(header.m_length) + " bytes)");
        const std::string counts = check_section_counts(bytes.data(), s);
        if (!counts.empty()) return fail(check, XclbinProblem::truncated, label, "truncated: " + counts);
        if (s.m_sectionKind == USER_METADATA && !metadata_section) metadata_section = &s;
    }

    // --- XRT's view: platform and IP layout ---
    std::vector<std::string> ip_names;
    try {
        const std::vector<char> whole(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(header.m_length));
        const xrt::xclbin xclbin(whole);
        check.platform = xclbin.get_xsa_name();
        check.uuid = xclbin.get_uuid().to_string();
        for (const xrt::xclbin::ip& ip : xclbin.get_ips()) ip_names.push_back(ip.get_name());
    } catch (const std::exception& e) {
        return fail(check, XclbinProblem::rejected, label, std::string("XRT cannot parse it: ") + e.what());
    }
    if (check.platform.empty()) check.platform = bounded(header.m_platformVBNV, sizeof header.m_platformVBNV);

    if (!expected_platform.empty() && check.platform != expected_platform)
        return fail(check, XclbinProblem::wrong_platform, label,
                    "built for platform '" + check.platform + "', the card is '" + expected_platform + "'");

    const std::string prefix = std::string(kXclbinKernel) + ":";
    for (const std::string& name : ip_names)
        if (name == kXclbinKernel || name.rfind(prefix, 0) == 0) {
            check.kernel_instance = name;
            break;
        }
    if (check.kernel_instance.empty()) {
        std::string found;
        for (const std::string& name : ip_names) found += (found.empty() ? "" : ", ") + name;
        return fail(check, XclbinProblem::no_kernel, label,
                    std::string("the IP layout lacks the mplsec kernel '") + kXclbinKernel + "' (it has " +
                        (found.empty() ? std::string("no IPs") : found) + ")");
    }

    // --- USER_METADATA ---
    if (!metadata_section)
        return fail(check, XclbinProblem::no_metadata, label,
                    "no USER_METADATA section (the mplsec build writes regmap_version, kernels and git_revision "
                    "there); not built by the mplsec bitstream recipes");
    std::string text(bytes.data() + metadata_section->m_sectionOffset, metadata_section->m_sectionSize);
    while (!text.empty() && text.back() == '\0') text.pop_back();
    nlohmann::json meta;
    try {
        meta = nlohmann::json::parse(text);
    } catch (const std::exception& e) {
        return fail(check, XclbinProblem::bad_metadata, label, std::string("USER_METADATA is not JSON: ") + e.what());
    }
    if (!meta.is_object() || !meta.contains("regmap_version") || !meta["regmap_version"].is_string())
        return fail(check, XclbinProblem::bad_metadata, label,
                    "USER_METADATA has no \"regmap_version\" string (expected e.g. {\"regmap_version\": \"1.0\"})");
    const std::string version = meta["regmap_version"].get<std::string>();
    if (!parse_version(version, check.metadata.regmap_major, check.metadata.regmap_minor))
        return fail(check, XclbinProblem::bad_metadata, label,
                    "USER_METADATA regmap_version '" + version + "' is not MAJOR.MINOR");
    if (meta.contains("kernels") && meta["kernels"].is_array())
        for (const auto& k : meta["kernels"])
            if (k.is_string()) check.metadata.kernels.push_back(k.get<std::string>());
    if (meta.contains("git_revision") && meta["git_revision"].is_string())
        check.metadata.git_revision = meta["git_revision"].get<std::string>();
    if (check.metadata.regmap_major != regs::kRegmapVersionMajor)
        return fail(check, XclbinProblem::wrong_regmap, label,
                    "register map version " + version + " (USER_METADATA), this runtime speaks " +
                        std::to_string(regs::kRegmapVersionMajor) + "." + std::to_string(regs::kRegmapVersionMinor) +
                        "; use a runtime and bitstream built from the same regmap major version");
    return check;
}

}  // namespace mplsec::drivers
