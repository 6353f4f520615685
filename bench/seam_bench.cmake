# portres::seam's benchmarks (seam_bench.cpp), added to portres_bench.
target_sources(portres_bench PRIVATE "${CMAKE_CURRENT_LIST_DIR}/seam_bench.cpp")
target_link_libraries(portres_bench PRIVATE portres::seam)
