from tests.support.bytecode import cache_bytecode

cache_bytecode()  # first, so that the imports of every test module use it (see there)
