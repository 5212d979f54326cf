// mplsec apply | show | status: the commands that talk to a running mplsecd
// over its socket (mplsec/api_protocol.hpp).
#include <fstream>
#include <iostream>
#include <sstream>

#include "api_client.hpp"
#include "commands.hpp"
#include "progress.hpp"
#include "text_table.hpp"

namespace po = boost::program_options;
using nlohmann::json;

namespace mplsec::cli {
namespace {

// ---- apply -----------------------------------------------------------------

void print_diff(const json& result) {
    std::vector<TextRow> rows;
    for (const json& c : result["changes"])
        rows.push_back({c["table"].get<std::string>(), std::to_string(c["index"].get<uint32_t>()), cell(c["name"]),
                        c["kind"].get<std::string>(), cell(c["old"]) + " -> " + cell(c["new"])});
    if (!rows.empty()) print_table(std::cout, {"TABLE", "INDEX", "NAME", "CHANGE", "OLD -> NEW"}, rows);
    std::string summary;
    for (const auto& [table, counts] : result["summary"].items())
        summary += (summary.empty() ? "" : "; ") + table + " +" + counts["added"].dump() + " ~" + counts["changed"].dump() +
                   " -" + counts["removed"].dump();
    const std::size_t n = result["changes"].size();
    std::cout << (result["dry_run"].get<bool>() ? "dry run: " : "applied: ") << n << (n == 1 ? " entry" : " entries")
              << (result["dry_run"].get<bool>() ? " would change" : " changed")
              << (summary.empty() ? "" : " (" + summary + ")") << '\n';
}

// ---- show ------------------------------------------------------------------

std::string counter_cell(const json& row, const char* key) { return row["counter"][key].dump(); }

void print_ilm(const json& rows) {
    std::vector<TextRow> out;
    for (const json& r : rows)
        out.push_back({r["label"].dump(), cell(r["action"]), cell(r["out_labels"]),
                       r["vrf"].is_null() ? cell(r["nexthop"]) : "vrf " + cell(r["vrf"]), cell(r["ports"]),
                       cell(r["ttl"]), counter_cell(r, "packets"), counter_cell(r, "bytes")});
    print_table(std::cout, {"LABEL", "ACTION", "OUT-LABELS", "TO", "PORTS", "TTL", "PACKETS", "BYTES"}, out);
}

void print_routes(const json& rows) {
    std::vector<TextRow> out;
    for (const json& r : rows)
        out.push_back({cell(r["vrf"]), cell(r["prefix"]), cell(r["nexthop"]), cell(r["push"]), cell(r["sa"]),
                       cell(r["ttl"]), counter_cell(r, "packets"), counter_cell(r, "bytes")});
    print_table(std::cout, {"VRF", "PREFIX", "NEXTHOP", "PUSH", "SA", "TTL", "PACKETS", "BYTES"}, out);
}

void print_sas(const json& rows) {
    std::vector<TextRow> out;
    std::string refused;
    for (const json& r : rows) {
        const bool needs_key = !r.value("refused", json()).is_null();
        out.push_back({cell(r["name"]), cell(r["dir"]), r["spi"].dump(), cell(r["cipher"]),
                       cell(r["tunnel_src"]) + " -> " + cell(r["tunnel_dst"]), r["esn"].dump(), cell(r["replay_window"]),
                       needs_key ? "NEEDS NEW KEY" : cell(r.value("next_seq", json())), counter_cell(r, "packets"),
                       counter_cell(r, "bytes"), counter_cell(r, "auth_failures"), counter_cell(r, "replay_drops"),
                       counter_cell(r, "bad_padding")});
        if (needs_key) refused += cell(r["name"]) + " is not on the card and needs a new key: " + cell(r["refused"]) + "\n";
    }
    print_table(std::cout,
                {"NAME", "DIR", "SPI", "CIPHER", "TUNNEL", "ESN", "REPLAY", "NEXT-SEQ", "PACKETS", "BYTES", "AUTH-FAILED",
                 "REPLAYED", "BAD-PADDING"},
                out);
    std::cout << refused;
}

std::vector<TextRow> port_counter_rows(const json& rows, bool with_config) {
    std::vector<TextRow> out;
    for (const json& r : rows) {
        TextRow row{r["id"].dump()};
        if (with_config) row.insert(row.end(), {cell(r["mac"]), cell(r["vrf"]), r["mtu"].dump()});
        for (const char* key : {"rx_packets", "rx_bytes", "tx_packets", "tx_bytes"}) row.push_back(r[key].dump());
        out.push_back(std::move(row));
    }
    return out;
}

void print_stats(const json& result) {
    print_table(std::cout, {"PORT", "RX-PACKETS", "RX-BYTES", "TX-PACKETS", "TX-BYTES"},
                port_counter_rows(result["ports"], false));
    std::cout << '\n';
    std::vector<TextRow> out;
    for (const json& r : result["reasons"])
        out.push_back({cell(r["kind"]), cell(r["name"]), r["packets"].dump(), r["bytes"].dump()});
    print_table(std::cout, {"KIND", "REASON", "PACKETS", "BYTES"}, out);
}

void print_show(const std::string& what, const json& result) {
    if (what == "ilm") print_ilm(result["rows"]);
    else if (what == "routes") print_routes(result["rows"]);
    else if (what == "sas") print_sas(result["rows"]);
    else if (what == "stats") print_stats(result);
    else print_table(std::cout, {"PORT", "MAC", "VRF", "MTU", "RX-PACKETS", "RX-BYTES", "TX-PACKETS", "TX-BYTES"},
                     port_counter_rows(result["rows"], true));
}

void print_status(const json& s) {
    const json& id = s["identity"];
    std::cout << "device       " << cell(s["device"]) << " (register map " << cell(id["regmap_version"]) << ", "
              << id["num_ports"] << " ports, " << id["clock_khz"] << " kHz, features " << cell(id["features"]) << ")\n"
              << "config file  " << cell(s["config_file"]) << '\n'
              << "applied from " << cell(s["applied_from"]) << " (" << s["applied_entries"] << " table entries)\n"
              << "uptime       " << s["uptime_seconds"] << " s\n"
              << "reconcile    " << (s["last_reconcile"].is_object()
                                         ? cell(s["last_reconcile"]["why"]) + ": " +
                                               s["last_reconcile"]["entries_differed"].dump() + " entries differed"
                                         : std::string("-"))
              << "; running image kept in " << cell(s["state_file"]) << '\n';
    const json refused = s.contains("sa_sequence") ? s["sa_sequence"].value("refused", json::object()) : json::object();
    for (const auto& [name, why] : refused.items())
        std::cout << "refused SA   " << name << " needs a new key: " << cell(why) << '\n';
    std::cout << "daemon       mplsecd " << cell(s["version"]) << "; you are uid " << s["caller"]["uid"] << ", "
              << cell(s["caller"]["role"]) << '\n';
}

}  // namespace

int run_apply(const std::vector<std::string>& args) {
    std::string path, socket;
    po::options_description options("options");
    options.add_options()("config", po::value(&path)->required(), "configuration file (YAML or JSON)")(
        "dry-run", "show what would change, change nothing")("json", "print the diff as JSON")(
        "socket", po::value(&socket), kSocketHelp);
    po::positional_options_description positionals;
    positionals.add("config", 1);
    po::variables_map vm;
    if (!parse_args("apply", "CONFIG [--dry-run] [--json] [--socket PATH]", args, options, positionals, vm)) return 0;
    // The file is read here and sent as text: the daemon may not be able to
    // read the caller's files, and should not read them on its behalf.
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    if (!(text << in.rdbuf())) {
        std::cerr << path << ": cannot read the file\n";
        return 2;
    }
    json result;
    const bool dry_run = vm.count("dry-run") > 0;
    const json params = {{"config", text.str()}, {"name", path}, {"dry_run", dry_run}};
    int status = 0;
    {
        ProgressBar bar("apply", vm.count("json") > 0 || dry_run);
        bar.phase("mplsecd compiles " + path + " and writes the difference", 1, 1);
        status = call_daemon("apply", socket, "apply", params, result);
    }
    if (status) return status;
    if (vm.count("json"))
        std::cout << result.dump(2) << '\n';
    else
        print_diff(result);
    return 0;
}

int run_show(const std::vector<std::string>& args) {
    std::string what, socket;
    po::options_description options("options");
    options.add_options()("what", po::value(&what)->required(), "ilm, routes, sas, stats or ports")(
        "json", "print as JSON")("socket", po::value(&socket), kSocketHelp);
    po::positional_options_description positionals;
    positionals.add("what", 1);
    po::variables_map vm;
    if (!parse_args("show", "ilm|routes|sas|stats|ports [--json] [--socket PATH]", args, options, positionals, vm))
        return 0;
    if (what != "ilm" && what != "routes" && what != "sas" && what != "stats" && what != "ports") {
        std::cerr << "mplsec show: '" << what << "': expected ilm, routes, sas, stats or ports; see 'mplsec show --help'\n";
        return 2;
    }
    json result;
    if (const int status = call_daemon("show", socket, "show", {{"what", what}}, result)) return status;
    if (vm.count("json"))
        std::cout << result.dump(2) << '\n';
    else
        print_show(what, result);
    return 0;
}

int run_status(const std::vector<std::string>& args) {
    std::string socket;
    po::options_description options("options");
    options.add_options()("json", "print as JSON")("socket", po::value(&socket), kSocketHelp);
    po::variables_map vm;
    if (!parse_args("status", "[--json] [--socket PATH]", args, options, {}, vm)) return 0;
    json result;
    if (const int status = call_daemon("status", socket, "status", json::object(), result)) return status;
    if (vm.count("json"))
        std::cout << result.dump(2) << '\n';
    else
        print_status(result);
    return 0;
}

}  // namespace mplsec::cli
