// Stand-in for the vendor's ap_int.h when Vitis HLS is absent: the subset of
// ap_uint<W> the mplsec kernels use (construction from integers, byte and
// bit-range access, shifts and bitwise or/and, comparison). Storage is
// little-endian 64-bit words.
#pragma once

// Lets kernel helpers pick this type's fast byte access; with the vendor
// header they fall back to range().
#define MPLSEC_COMPAT_AP_INT 1

#include <array>
#include <cstdint>

template <int W>
class ap_uint {
    static_assert(W > 0, "ap_uint width must be positive");
    static constexpr int kWords = (W + 63) / 64;

public:
    ap_uint() : words_{} {}
    ap_uint(uint64_t value) : words_{} {  // NOLINT: implicit like the vendor type
        words_[0] = value;
        mask_top();
    }

    // Bits hi..lo (inclusive, hi - lo < 64) as an integer.
    uint64_t range(int hi, int lo) const {
        uint64_t value = 0;
        for (int bit = hi; bit >= lo; --bit) value = (value << 1) | get_bit(bit);
        return value;
    }
    void set_range(int hi, int lo, uint64_t value) {
        for (int bit = lo; bit <= hi; ++bit, value >>= 1) set_bit(bit, value & 1);
    }
    uint8_t byte(int index) const {
        return static_cast<uint8_t>(words_[index / 8] >> (8 * (index % 8)));
    }
    void set_byte(int index, uint8_t value) {
        const int shift = 8 * (index % 8);
        words_[index / 8] = (words_[index / 8] & ~(uint64_t{0xff} << shift)) |
                            (uint64_t{value} << shift);
    }
    bool get_bit(int bit) const { return (words_[bit / 64] >> (bit % 64)) & 1; }
    void set_bit(int bit, bool value) {
        const uint64_t mask = uint64_t{1} << (bit % 64);
        words_[bit / 64] = value ? (words_[bit / 64] | mask) : (words_[bit / 64] & ~mask);
    }
    uint64_t to_uint64() const { return words_[0]; }

    // Logical shifts as the vendor type does them: bits shifted past the
    // width are lost, a shift by W or more gives zero.
    ap_uint operator<<(int shift) const {
        ap_uint r;
        if (shift <= 0) return shift == 0 ? *this : r;
        const int ws = shift / 64, bs = shift % 64;
        for (int i = kWords - 1; i >= ws; --i) {
            uint64_t w = words_[i - ws] << bs;
            if (bs && i - ws - 1 >= 0) w |= words_[i - ws - 1] >> (64 - bs);
            r.words_[i] = w;
        }
        r.mask_top();
        return r;
    }
    ap_uint operator>>(int shift) const {
        ap_uint r;
        if (shift <= 0) return shift == 0 ? *this : r;
        const int ws = shift / 64, bs = shift % 64;
        for (int i = 0; i + ws < kWords; ++i) {
            uint64_t w = words_[i + ws] >> bs;
            if (bs && i + ws + 1 < kWords) w |= words_[i + ws + 1] << (64 - bs);
            r.words_[i] = w;
        }
        return r;
    }
    ap_uint operator|(const ap_uint& other) const {
        ap_uint r;
        for (int i = 0; i < kWords; ++i) r.words_[i] = words_[i] | other.words_[i];
        return r;
    }
    ap_uint operator&(const ap_uint& other) const {
        ap_uint r;
        for (int i = 0; i < kWords; ++i) r.words_[i] = words_[i] & other.words_[i];
        return r;
    }
    ap_uint& operator|=(const ap_uint& other) { return *this = *this | other; }

    bool operator==(const ap_uint& other) const { return words_ == other.words_; }
    bool operator!=(const ap_uint& other) const { return !(*this == other); }

private:
    void mask_top() {
        if (W % 64) words_[kWords - 1] &= (uint64_t{1} << (W % 64)) - 1;
    }
    std::array<uint64_t, kWords> words_;
};
