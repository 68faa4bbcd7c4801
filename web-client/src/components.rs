//! The screens and their parts, one component per file.

pub mod add_speaker;
pub mod chair_console;
pub mod connection_gate;
pub mod countdown;
pub mod floor_panel;
pub mod home;
pub mod kind_badge;
pub mod my_segments;
pub mod new_segment;
pub mod notices;
pub mod participant_view;
pub mod presence_badge;
pub mod record_table;
pub mod request_panel;
pub mod room_display;
pub mod segments_panel;
pub mod speakers_list;
