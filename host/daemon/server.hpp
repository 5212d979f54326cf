// The management socket: a listening Unix stream socket served with poll()
// on one thread. Each connection carries newline-delimited requests; a
// connection's next request is read only once the answer to the previous
// one is sent, so a client that does not read cannot make the daemon
// buffer without bound.
#pragma once

#include <sys/types.h>

#include <functional>
#include <map>
#include <string>

#include "access.hpp"
#include "mplsec/api_protocol.hpp"

namespace mplsec::daemon {

class Server {
public:
    using Answer = std::function<std::string(const std::string& line, const Caller& caller)>;
    // Called when wake_fd is readable; return false to stop serving.
    using OnWake = std::function<bool()>;

    Server(std::string path, Answer answer);
    ~Server();  // closes every connection and removes the socket file
    Server(const Server&) = delete;
    Server& operator=(const Server&) = delete;

    // Creates the socket file (and its directory). Throws std::runtime_error
    // when another daemon serves the path or it is not ours to replace.
    void open();
    void run(int wake_fd, const OnWake& on_wake);

private:
    struct Connection {
        Caller caller;
        api::LineReader in;
        std::string out;
        bool closing = false;  // close once `out` is sent
    };

    void accept_one();
    void on_readable(int fd, Connection& c);
    void answer_lines(Connection& c);
    bool on_writable(int fd, Connection& c);  // false: drop the connection
    void drop(int fd);

    std::string path_;
    Answer answer_;
    int listen_fd_ = -1;
    ino_t inode_ = 0;  // of our socket file, so we only ever remove our own
    std::map<int, Connection> connections_;
};

}  // namespace mplsec::daemon
