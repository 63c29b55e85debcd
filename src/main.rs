//! The `hindsight` binary: everything happens in [`hindsight::cli`].

fn main() -> std::process::ExitCode {
    hindsight::cli::main()
}
