#include "progress.hpp"

#include <unistd.h>

#include <cstdio>

namespace mplsec::cli {
namespace {

constexpr int kBarWidth = 30;

}  // namespace

ProgressBar::ProgressBar(std::string what, bool json)
    : what_(std::move(what)), enabled_(!json && ::isatty(STDERR_FILENO)), started_(std::chrono::steady_clock::now()) {}

ProgressBar::~ProgressBar() { finish(); }

void ProgressBar::update(std::size_t done, std::size_t total, const char* unit) {
    if (!enabled_) return;
    // A terminal needs no more than ten redraws a second; the last one always shows.
    const auto now = std::chrono::steady_clock::now();
    if (done < total && drawn_ && now - last_draw_ < std::chrono::milliseconds(100)) return;
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    char detail[96];
    std::snprintf(detail, sizeof detail, "%zu/%zu %s, %.0f/s", done, total, unit, seconds > 0 ? done / seconds : 0.0);
    draw(total ? static_cast<double>(done) / static_cast<double>(total) : 1.0, detail);
}

void ProgressBar::phase(const std::string& name, std::size_t n, std::size_t of) {
    if (!enabled_) return;
    draw(of ? static_cast<double>(n - 1) / static_cast<double>(of) : 0.0,
         std::to_string(n) + "/" + std::to_string(of) + " " + name);
}

void ProgressBar::complete(const std::string& detail) {
    if (enabled_) draw(1.0, detail);
}

void ProgressBar::draw(double fraction, const std::string& detail) {
    const int filled = static_cast<int>(fraction * kBarWidth + 0.5);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    // \r and erase-to-end-of-line redraw the same line.
    std::fprintf(stderr, "\r%s [%s%s] %3.0f%%  %s  %.1f s\033[K", what_.c_str(), std::string(filled, '#').c_str(),
                 std::string(kBarWidth - filled, '.').c_str(), fraction * 100, detail.c_str(), seconds);
    std::fflush(stderr);
    drawn_ = true;
    last_draw_ = std::chrono::steady_clock::now();
}

void ProgressBar::finish() {
    if (!drawn_) return;
    std::fputc('\n', stderr);
    drawn_ = false;
}

}  // namespace mplsec::cli
