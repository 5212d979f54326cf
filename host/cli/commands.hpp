// The table of mplsec subcommands.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include <boost/program_options.hpp>

namespace mplsec::cli {

struct Command {
    std::string name;     // "sim run"
    std::string summary;  // one line for `mplsec --help`
    std::function<int(const std::vector<std::string>&)> run;
};

std::vector<Command> all_commands();

// Parses `args` against `options` (+ positionals); prints help and returns
// false when --help was given. Throws po::error on bad usage.
bool parse_args(const std::string& command, const std::string& synopsis, const std::vector<std::string>& args,
                boost::program_options::options_description& options,
                const boost::program_options::positional_options_description& positionals,
                boost::program_options::variables_map& vm);

int run_sim(const std::vector<std::string>& args);
int run_config_check(const std::vector<std::string>& args);
int run_device_list(const std::vector<std::string>& args);
int run_device_info(const std::vector<std::string>& args);
int run_device_load(const std::vector<std::string>& args);
int run_apply(const std::vector<std::string>& args);
int run_show(const std::vector<std::string>& args);
int run_status(const std::vector<std::string>& args);
int run_stats(const std::vector<std::string>& args);

}  // namespace mplsec::cli
