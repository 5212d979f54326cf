# Runs the generator into OUT_DIR and compares with the checked-in files.
#   cmake -DGENERATOR=... -DREPO_ROOT=... -DSOURCE=regmap/mplsec.yaml
#         -DSV=... -DCPP=... -DMD=... -DOUT_DIR=... -P check_up_to_date.cmake
# SV, CPP and MD are paths relative to REPO_ROOT.

foreach(var GENERATOR REPO_ROOT SOURCE SV CPP MD OUT_DIR)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "check_up_to_date.cmake: ${var} is not set")
  endif()
endforeach()

file(REMOVE_RECURSE "${OUT_DIR}")
file(MAKE_DIRECTORY "${OUT_DIR}")

# Same working directory and relative input path as the regmap-update target,
# so the header comments match.
execute_process(
  COMMAND "${GENERATOR}" --in "${SOURCE}"
          --sv "${OUT_DIR}/sv" --cpp "${OUT_DIR}/cpp" --md "${OUT_DIR}/md"
  WORKING_DIRECTORY "${REPO_ROOT}"
  RESULT_VARIABLE status
  ERROR_VARIABLE errors)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "mplsec-regmap-gen failed (${status}): ${errors}")
endif()

set(stale "")
foreach(kind SV CPP MD)
  string(TOLOWER ${kind} name)
  execute_process(
    COMMAND "${CMAKE_COMMAND}" -E compare_files "${OUT_DIR}/${name}" "${REPO_ROOT}/${${kind}}"
    RESULT_VARIABLE differs OUTPUT_QUIET ERROR_QUIET)
  if(NOT differs EQUAL 0)
    message("generated file ${${kind}} is stale: run 'cmake --build build --target regmap-update'")
    list(APPEND stale "${${kind}}")
  endif()
endforeach()

if(stale)
  message(FATAL_ERROR "stale generated files: ${stale}")
endif()
