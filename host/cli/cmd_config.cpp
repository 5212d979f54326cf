// mplsec config check.
#include <iostream>

#include "commands.hpp"
#include "mplsec/config.hpp"
#include "mplsec/config_json.hpp"

namespace po = boost::program_options;

namespace mplsec::cli {

int run_config_check(const std::vector<std::string>& args) {
    std::string path;
    po::options_description options("options");
    options.add_options()("config", po::value(&path)->required(), "configuration file (YAML or JSON)")(
        "json", "print the parsed configuration as JSON");
    po::positional_options_description positionals;
    positionals.add("config", 1);
    po::variables_map vm;
    if (!parse_args("config check", "CONFIG [--json]", args, options, positionals, vm)) return 0;
    try {
        const config::Config c = config::load_file(path);
        if (vm.count("json")) {
            std::cout << config::to_json(c).dump(2) << '\n';
        } else {
            std::size_t routes = 0;
            for (const auto& vrf : c.vrfs) routes += vrf.routes.size();
            std::cout << path << ": ok (" << c.ports.size() << " ports, " << c.nexthops.size() << " next hops, "
                      << c.ilm.size() << " labels, " << c.vrfs.size() << " VRFs, " << routes << " routes, "
                      << c.sas.size() << " SAs)\n";
        }
        return 0;
    } catch (const config::ConfigError& e) {
        std::cerr << e.what() << '\n';
        return 2;
    }
}

}  // namespace mplsec::cli
