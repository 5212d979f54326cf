#include <gtest/gtest.h>
#include "mplsec/config.hpp"
TEST(Smoke, Loads) { auto c = mplsec::config::load_string("ports: []\n", "x.yaml"); EXPECT_TRUE(c.ports.empty()); }
