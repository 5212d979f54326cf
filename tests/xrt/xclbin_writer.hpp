// Writes minimal xclbin containers from XRT's own axlf structs, so the
// validator can be tested without v++ or xclbinutil.
#pragma once

#include <cstring>
#include <fstream>
#include <string>
#include <utility>
#include <vector>

#include <xclbin.h>

namespace mplsec::testing {

struct XclbinSpec {
    std::string platform = "xilinx_u250_gen3x16_xdma_4_1_202210_1";
    std::vector<std::string> ips = {"mplsec_card:mplsec_card_1"};
    bool with_ip_layout = true;
    bool with_metadata = true;
    std::string metadata = R"({"regmap_version": "1.0", "kernels": ["mplsec_card"], "git_revision": "8149703"})";
};

inline std::vector<char> make_xclbin(const XclbinSpec& spec) {
    std::vector<std::pair<uint32_t, std::vector<char>>> sections;
    if (spec.with_ip_layout) {
        std::vector<char> data(offsetof(ip_layout, m_ip_data) + spec.ips.size() * sizeof(ip_data), 0);
        auto* layout = reinterpret_cast<ip_layout*>(data.data());
        layout->m_count = static_cast<int32_t>(spec.ips.size());
        for (std::size_t i = 0; i < spec.ips.size(); ++i) {
            ip_data& ip = layout->m_ip_data[i];
            ip.m_type = IP_KERNEL;
            ip.properties = AP_CTRL_NONE << IP_CONTROL_SHIFT;  // user-managed
            ip.m_base_address = 0x1000000 + 0x10000 * i;
            std::strncpy(reinterpret_cast<char*>(ip.m_name), spec.ips[i].c_str(), sizeof ip.m_name - 1);
        }
        sections.emplace_back(IP_LAYOUT, std::move(data));
    }
    if (spec.with_metadata) sections.emplace_back(USER_METADATA, std::vector<char>(spec.metadata.begin(), spec.metadata.end()));

    const std::size_t n = sections.size();
    const std::size_t headers = offsetof(axlf, m_sections) + std::max<std::size_t>(n, 1) * sizeof(axlf_section_header);
    std::size_t total = headers;
    for (const auto& s : sections) total += (s.second.size() + 7) / 8 * 8;
    std::vector<char> out(total, 0);
    auto* top = reinterpret_cast<axlf*>(out.data());
    std::memcpy(top->m_magic, "xclbin2", 8);
    top->m_signature_length = -1;
    std::memset(top->reserved, 0xff, sizeof top->reserved);
    top->m_header.m_length = total;
    top->m_header.m_versionMajor = 2;
    top->m_header.m_versionMinor = 13;
    top->m_header.m_mode = XCLBIN_FLAT;
    std::strncpy(reinterpret_cast<char*>(top->m_header.m_platformVBNV), spec.platform.c_str(),
                 sizeof top->m_header.m_platformVBNV - 1);
    for (std::size_t i = 0; i < 16; ++i) top->m_header.uuid[i] = static_cast<unsigned char>(0x10 + i);
    top->m_header.m_numSections = static_cast<uint32_t>(n);
    std::size_t offset = headers;
    for (std::size_t i = 0; i < n; ++i) {
        axlf_section_header& h = top->m_sections[i];
        h.m_sectionKind = sections[i].first;
        std::strncpy(h.m_sectionName, sections[i].first == IP_LAYOUT ? "ip_layout" : "user_metadata",
                     sizeof h.m_sectionName - 1);
        h.m_sectionOffset = offset;
        h.m_sectionSize = sections[i].second.size();
        std::memcpy(out.data() + offset, sections[i].second.data(), sections[i].second.size());
        offset += (sections[i].second.size() + 7) / 8 * 8;
    }
    return out;
}

inline void write_file(const std::string& path, const std::vector<char>& bytes) {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

}  // namespace mplsec::testing
