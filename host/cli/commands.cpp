#include "commands.hpp"

#include <iostream>

namespace po = boost::program_options;

namespace mplsec::cli {

std::vector<Command> all_commands() {
    return {
        {"sim run", "run a pcap through a fresh virtual card (offline)", run_sim},
        {"config check", "validate a configuration file", run_config_check},
        {"device list", "list the devices this host can open", run_device_list},
        {"device info", "open a device and show what it offers", run_device_info},
        {"device load", "check an xclbin and load it onto a card (the daemon's, or --device)", run_device_load},
        {"apply", "apply a configuration to the running mplsecd (shows the diff)", run_apply},
        {"show", "show ilm, routes, sas, stats or ports of the running mplsecd", run_show},
        {"status", "show what the running mplsecd serves", run_status},
        {"stats", "port and reason counters with rates (--watch to refresh)", run_stats},
    };
}

bool parse_args(const std::string& command, const std::string& synopsis, const std::vector<std::string>& args,
                po::options_description& options, const po::positional_options_description& positionals,
                po::variables_map& vm) {
    options.add_options()("help,h", "show this help");
    po::store(po::command_line_parser(args).options(options).positional(positionals).run(), vm);
    if (vm.count("help")) {
        std::cout << "usage: mplsec " << command << ' ' << synopsis << "\n\n" << options << '\n';
        return false;
    }
    po::notify(vm);
    return true;
}

}  // namespace mplsec::cli
