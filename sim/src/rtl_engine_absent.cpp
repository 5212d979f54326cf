// Built when MPLSEC_WITH_RTL is off: the RTL engine and the RTL card are
// not available.
#include <stdexcept>

#include "mplsec/card_model.hpp"
#include "mplsec/engine.hpp"
#include "mplsec/rtl_card.hpp"

namespace mplsec::sim {

std::unique_ptr<Engine> make_rtl_engine() {
    throw std::runtime_error("this build has no RTL engine (configured with MPLSEC_WITH_RTL=OFF); use --engine model");
}

namespace {
[[noreturn]] void no_rtl_card() {
    throw std::runtime_error("this build has no RTL card (configured with MPLSEC_WITH_RTL=OFF)");
}
}  // namespace

std::unique_ptr<RtlCard> make_rtl_card() { no_rtl_card(); }
std::unique_ptr<CardModel> make_rtl_register_card() { no_rtl_card(); }

}  // namespace mplsec::sim
