# Runs the generator on a broken register map and checks that it is refused
# the way a user needs: exit status exactly 2 and one line on stderr naming
# the file and line, with the expected message.
#   cmake -DGENERATOR=... -DINPUT=tests/bad_x.yaml -P check_rejects.cmake
# INPUT holds a comment "# expect-error: LINE: TEXT" (LINE may be 0 when the
# message names no line).

foreach(var GENERATOR INPUT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_rejects.cmake: ${var} is not set")
  endif()
endforeach()

# file(READ), not file(STRINGS): an expected message may contain ';'.
file(READ "${INPUT}" content)
string(REGEX MATCH "# expect-error: [0-9]+: [^\n]*" expectation "${content}")
if(expectation STREQUAL "")
  message(FATAL_ERROR "${INPUT} has no '# expect-error: LINE: TEXT' comment")
endif()
string(REGEX REPLACE "^# expect-error: ([0-9]+): (.*)$" "\\1" expected_line "${expectation}")
string(REGEX REPLACE "^# expect-error: ([0-9]+): (.*)$" "\\2" expected_text "${expectation}")

execute_process(
  COMMAND "${GENERATOR}" --in "${INPUT}"
  RESULT_VARIABLE status
  OUTPUT_VARIABLE output
  ERROR_VARIABLE errors)
string(STRIP "${errors}" errors)
message("exit status ${status}; stderr: ${errors}")

if(NOT status EQUAL 2)
  message(FATAL_ERROR "expected exit status 2, got ${status}")
endif()
if(expected_line EQUAL 0)
  set(prefix "${INPUT}: error: ")
else()
  set(prefix "${INPUT}:${expected_line}: error: ")
endif()
string(FIND "${errors}" "${prefix}" at)
if(NOT at EQUAL 0)
  message(FATAL_ERROR "stderr does not start with '${prefix}'")
endif()
string(FIND "${errors}" "${expected_text}" at)
if(at EQUAL -1)
  message(FATAL_ERROR "stderr lacks '${expected_text}'")
endif()
string(FIND "${errors}" "\n" at)
if(NOT at EQUAL -1)
  message(FATAL_ERROR "stderr is more than one line")
endif()
