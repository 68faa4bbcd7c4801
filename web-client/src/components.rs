//! The screens and their parts, one component per file.

pub mod accreditation_list;
pub mod add_speaker;
pub mod application_card;
pub mod apply_form;
pub mod chair_console;
pub mod connection_gate;
pub mod countdown;
pub mod delegation_page;
pub mod floor_panel;
pub mod home;
pub mod kind_badge;
pub mod meeting_picker;
pub mod my_segments;
pub mod new_segment;
pub mod notices;
pub mod objections;
pub mod organisation_page;
pub mod participant_view;
pub mod personal_links;
pub mod presence_badge;
pub mod record_table;
pub mod request_panel;
pub mod review_queue;
pub mod room_display;
pub mod segments_panel;
pub mod speakers_list;
