#include "cli/commands.h"

int main(int argc, char** argv) { return assetpub::cli::Run(argc, argv); }
