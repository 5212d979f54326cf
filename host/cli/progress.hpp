// A progress bar on stderr for long operations (bulk table loads, xclbin
// loads). Drawn only when stderr is a terminal and the command prints for
// people: never with --json, never into a file or a pipe.
#pragma once

#include <chrono>
#include <cstddef>
#include <string>

namespace mplsec::cli {

class ProgressBar {
public:
    // `json`: the command prints JSON, so the bar stays off.
    ProgressBar(std::string what, bool json);
    ~ProgressBar();  // ends the line if a bar was drawn
    ProgressBar(const ProgressBar&) = delete;
    ProgressBar& operator=(const ProgressBar&) = delete;

    bool enabled() const { return enabled_; }
    // `done` of `total` units ("entries"), with the rate.
    void update(std::size_t done, std::size_t total, const char* unit);
    // Step `n` of `of` in a sequence of named phases ("program", 2, 3).
    void phase(const std::string& name, std::size_t n, std::size_t of);
    // The whole bar, with a last word ("identity checked").
    void complete(const std::string& detail);
    void finish();

private:
    void draw(double fraction, const std::string& detail);

    std::string what_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point started_;
    std::chrono::steady_clock::time_point last_draw_;
};

}  // namespace mplsec::cli
