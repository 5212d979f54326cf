// NIST CAVP GCM response files (gcmEncryptExtIV*.rsp, gcmDecrypt*.rsp):
// records with their section parameters, and the ESP profile filter.
// Shared by the model's and the RTL core's vector tests.
#pragma once

#include <fstream>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace mplsec::hls_esp::test {

// One record of a CAVP .rsp file with its section parameters.
struct CavpRecord {
    std::map<std::string, std::string> section;  // Keylen, IVlen, PTlen, AADlen, Taglen
    std::map<std::string, std::string> field;    // Count, Key, IV, PT, AAD, CT, Tag
    bool fail = false;
};

inline std::string trim(const std::string& s) {
    const auto b = s.find_first_not_of(" \t\r");
    if (b == std::string::npos) return "";
    const auto e = s.find_last_not_of(" \t\r");
    return s.substr(b, e - b + 1);
}

inline std::vector<CavpRecord> parse_rsp(const std::string& path) {
    std::ifstream in(path);
    if (!in) throw std::runtime_error("cannot open " + path);
    std::vector<CavpRecord> out;
    std::map<std::string, std::string> section;
    CavpRecord cur;
    bool open = false;
    auto flush = [&] {
        if (open) out.push_back(cur);
        open = false;
    };
    std::string line;
    while (std::getline(in, line)) {
        line = trim(line);
        if (line.empty() || line[0] == '#') continue;
        if (line[0] == '[') {
            flush();
            const auto eq = line.find('=');
            if (eq == std::string::npos) continue;
            section[trim(line.substr(1, eq - 1))] = trim(line.substr(eq + 1, line.size() - eq - 2));
            continue;
        }
        if (line == "FAIL") {
            cur.fail = true;
            continue;
        }
        const auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        const std::string name = trim(line.substr(0, eq));
        if (name == "Count") {
            flush();
            cur = CavpRecord{};
            cur.section = section;
            open = true;
        }
        cur.field[name] = trim(line.substr(eq + 1));
    }
    flush();
    return out;
}

inline bool esp_profile(const CavpRecord& r) {
    return r.section.at("IVlen") == "96" && r.section.at("Taglen") == "128" &&
           (r.section.at("Keylen") == "128" || r.section.at("Keylen") == "256");
}

}  // namespace mplsec::hls_esp::test
