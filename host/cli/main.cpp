// mplsec: the operator's command line. Subcommands follow git's shape
// (`mplsec <group> <command> [options]`); every one answers --help.
// Exit status: 0 success, 1 the operation failed, 2 bad usage or input.
#include <boost/program_options.hpp>

#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "commands.hpp"
#include "mplsec/regs.hpp"
#include "mplsec/version.hpp"

namespace po = boost::program_options;

namespace {

using mplsec::cli::Command;

void print_usage(const std::vector<Command>& commands) {
    std::cout << "usage: mplsec [--version] [--help] <command> [<args>]\n\n"
                 "Secure MPLS label switching on Alveo SmartNICs and on the virtual card.\n\n"
                 "commands:\n";
    for (const Command& c : commands) std::cout << "  " << c.name << std::string(22 - std::min<std::size_t>(20, c.name.size()), ' ') << c.summary << '\n';
    std::cout << "\nRun 'mplsec <command> --help' for a command's options.\n";
}

}  // namespace

int main(int argc, char** argv) {
    const std::vector<Command> commands = mplsec::cli::all_commands();
    std::vector<std::string> args(argv + 1, argv + argc);
    if (args.empty()) {
        print_usage(commands);
        return 2;
    }
    if (args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
        print_usage(commands);
        return 0;
    }
    if (args[0] == "--version" || args[0] == "version") {
        std::cout << "mplsec " << mplsec::kVersion << " (register map " << mplsec::regs::kRegmapVersionMajor << '.'
                  << mplsec::regs::kRegmapVersionMinor << ")\n";
        return 0;
    }
    // Longest command name that matches the leading words ("sim run" before "sim").
    const Command* best = nullptr;
    std::size_t best_words = 0;
    for (const Command& c : commands) {
        std::vector<std::string> words;
        std::string word;
        for (char ch : c.name + " ")
            if (ch == ' ') {
                words.push_back(word);
                word.clear();
            } else {
                word += ch;
            }
        if (words.size() > args.size() || words.size() <= best_words) continue;
        if (std::equal(words.begin(), words.end(), args.begin())) {
            best = &c;
            best_words = words.size();
        }
    }
    if (!best) {
        std::cerr << "mplsec: '" << args[0] << "' is not an mplsec command; see 'mplsec --help'\n";
        return 2;
    }
    std::vector<std::string> rest(args.begin() + static_cast<std::ptrdiff_t>(best_words), args.end());
    try {
        return best->run(rest);
    } catch (const po::error& e) {
        std::cerr << "mplsec " << best->name << ": " << e.what() << "; see 'mplsec " << best->name << " --help'\n";
        return 2;
    }
}
