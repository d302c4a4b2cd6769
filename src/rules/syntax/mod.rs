//! The `LW0xxx` syntax codes. The parser and `syntax::validation` produce them; these files
//! hold their documentation and metadata, one code per file.

mod lw0001_unknown_instruction;
mod lw0002_missing_arguments;
mod lw0003_unterminated_heredoc;
mod lw0004_unknown_flag;
mod lw0005_malformed_exec_form;
mod lw0006_invalid_directive;
mod lw0007_misplaced_directive;
mod lw0008_continuation_at_eof;
mod lw0009_invalid_expose;
mod lw0010_invalid_healthcheck;
mod lw0011_invalid_instruction_form;
mod lw0012_too_many_arguments;
mod lw0013_invalid_flag_value;
mod lw0014_invalid_key_value;
mod lw0015_invalid_stage_name;
mod lw0016_no_from;
mod lw0017_invalid_utf8;
mod lw0018_unclosed_variable;
mod lw0019_unclosed_quote;

pub use lw0001_unknown_instruction::LW0001;
pub use lw0002_missing_arguments::LW0002;
pub use lw0003_unterminated_heredoc::LW0003;
pub use lw0004_unknown_flag::LW0004;
pub use lw0005_malformed_exec_form::LW0005;
pub use lw0006_invalid_directive::LW0006;
pub use lw0007_misplaced_directive::LW0007;
pub use lw0008_continuation_at_eof::LW0008;
pub use lw0009_invalid_expose::LW0009;
pub use lw0010_invalid_healthcheck::LW0010;
pub use lw0011_invalid_instruction_form::LW0011;
pub use lw0012_too_many_arguments::LW0012;
pub use lw0013_invalid_flag_value::LW0013;
pub use lw0014_invalid_key_value::LW0014;
pub use lw0015_invalid_stage_name::LW0015;
pub use lw0016_no_from::LW0016;
pub use lw0017_invalid_utf8::LW0017;
pub use lw0018_unclosed_variable::LW0018;
pub use lw0019_unclosed_quote::LW0019;
