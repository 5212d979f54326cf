// Replacing a state file so that a crash or power loss leaves the old
// contents or the new ones, never half of either, and never readable by
// other users (the running image holds SA keys).
#pragma once

#include <optional>
#include <string>

namespace mplsec::runtime {

// Writes `text` to `path`.tmp (mode 0600), fsyncs it, renames it over
// `path` and fsyncs the directory. Returns what failed, naming the file
// and the cause; nullopt on success.
std::optional<std::string> replace_file_durably(const std::string& path, const std::string& text);

}  // namespace mplsec::runtime
