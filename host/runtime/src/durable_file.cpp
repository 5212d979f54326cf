#include "durable_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace mplsec::runtime {
namespace {

std::string failure(const std::string& path, const char* doing, int error) {
    return path + ": cannot " + doing + ": " + std::strerror(error);
}

// Writes all of `text` and fsyncs; closes `fd` either way.
std::optional<std::string> write_all_and_sync(int fd, const std::string& path, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) {
            const int error = errno;
            ::close(fd);
            return failure(path, "write", error);
        }
        done += static_cast<std::size_t>(n);
    }
    if (::fsync(fd) != 0) {
        const int error = errno;
        ::close(fd);
        return failure(path, "fsync", error);
    }
    if (::close(fd) != 0) return failure(path, "close", errno);
    return std::nullopt;
}

// The rename is durable only once the directory entry is.
std::optional<std::string> sync_directory_of(const std::string& path) {
    std::string dir = std::filesystem::path(path).parent_path().string();
    if (dir.empty()) dir = ".";
    const int fd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return failure(dir, "open the directory", errno);
    const int synced = ::fsync(fd);
    const int error = errno;
    ::close(fd);
    if (synced != 0) return failure(dir, "fsync the directory", error);
    return std::nullopt;
}

}  // namespace

std::optional<std::string> replace_file_durably(const std::string& path, const std::string& text) {
    const std::string temp = path + ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    if (fd < 0) return failure(temp, "create", errno);
    if (auto error = write_all_and_sync(fd, temp, text)) {
        std::remove(temp.c_str());
        return error;
    }
    if (std::rename(temp.c_str(), path.c_str()) != 0) {
        const int error = errno;
        std::remove(temp.c_str());
        return failure(path, "replace", error);
    }
    return sync_directory_of(path);
}

}  // namespace mplsec::runtime
