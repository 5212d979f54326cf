// Stand-in for the vendor's hls_stream.h when Vitis HLS is absent: the
// subset of hls::stream the mplsec kernels use, backed by a deque so the
// same sources build as a g++ C-simulation model.
#pragma once

#include <deque>
#include <stdexcept>

namespace hls {

template <typename T>
class stream {
public:
    stream() = default;
    explicit stream(const char* /*name*/) {}
    stream(const stream&) = delete;
    stream& operator=(const stream&) = delete;

    void write(const T& value) { fifo_.push_back(value); }
    T read() {
        if (fifo_.empty()) throw std::logic_error("hls::stream read from an empty stream");
        T value = fifo_.front();
        fifo_.pop_front();
        return value;
    }
    bool read_nb(T& value) {
        if (fifo_.empty()) return false;
        value = read();
        return true;
    }
    bool empty() const { return fifo_.empty(); }
    bool full() const { return false; }
    std::size_t size() const { return fifo_.size(); }
    void operator<<(const T& value) { write(value); }
    void operator>>(T& value) { value = read(); }

private:
    std::deque<T> fifo_;
};

}  // namespace hls
