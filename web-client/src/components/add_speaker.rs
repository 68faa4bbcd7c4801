//! The chair adds someone to the list on their behalf — a delegate who raised their flag in the
//! room, an organisation without a device — or gives a panellist the floor directly.

use leptos::prelude::*;
use shared::{Command, Language, ParticipantId, Presence, RequestKind, Role};

use crate::components::field::Field;
use crate::components::group_select::{self, GroupSelect};
use crate::labels::{self, LANGUAGES};
use crate::live::Live;
use crate::tr;
use crate::walk_in::WalkIn;

/// The "add a speaker" form; `added` hears whom it added to the list, so that the console can take
/// the focus back and select them. An empty or incomplete form sends nothing and says why.
#[component]
pub fn AddSpeaker(added: Callback<ParticipantId>) -> impl IntoView {
    let live = expect_context::<Live>();
    let name = RwSignal::new(String::new());
    let affiliation = RwSignal::new(String::new());
    let role = RwSignal::new(Role::Delegate);
    let kind = RwSignal::new(RequestKind::Statement);
    let presence = RwSignal::new(Presence::InRoom);
    let language = RwSignal::new("en".to_string());
    let note = RwSignal::new(String::new());
    let group = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let walk_in =
            WalkIn { name: name.get_untracked(), role: role.get_untracked(), affiliation: affiliation.get_untracked() };
        let speaker = match walk_in.participant() {
            Ok(speaker) => speaker,
            Err(why) => return problem.set(Some(why)),
        };
        let language = match Language::parse(language.get_untracked()) {
            Ok(language) => language,
            Err(rejection) => return problem.set(Some(rejection.message)),
        };
        problem.set(None);
        let presence = presence.get_untracked();
        name.set(String::new());
        if speaker.role == Role::Panellist {
            live.send(
                Command::GiveFloorToPanellist { speaker, presence, language },
                tr!(chair.give_floor_to_panellist),
            );
            crate::keyboard::blur_focused();
        } else {
            let kind = kind.get_untracked();
            let id = speaker.id.clone();
            // The select is hidden for other roles; what it held does not apply to them.
            let group = if speaker.role == Role::Delegate { group.get_untracked() } else { String::new() };
            live.send(
                Command::AddSpeaker {
                    segment: None,
                    speaker,
                    kind,
                    presence,
                    language,
                    co_signers: Vec::new(),
                    note: Some(note.get_untracked()),
                    group: group_select::chosen(&group, kind),
                },
                tr!(chair.add_speaker),
            );
            added.run(id);
            note.set(String::new());
        }
    };
    let affiliation_label = move || match role.get() {
        Role::Delegate | Role::Expert => tr!(chair.affiliation_delegation),
        Role::Panellist => tr!(chair.affiliation_organisation_optional),
        _ => tr!(chair.affiliation_organisation),
    };
    let panellist = move || role.get() == Role::Panellist;

    view! {
        <h2>{tr!(chair.add_speaker)}</h2>
        <form class="add-speaker" on:submit=submit>
            <Field
                label=tr!(chair.name)
                name="speaker-name"
                maxlength=120
                problem_id="add-speaker-problem"
                invalid=Signal::derive(move || problem.with(Option::is_some))
                value=name
            />
            <label>
                {tr!(chair.role)}
                <select on:change=move |ev| {
                    role.set(
                        match event_target_value(&ev).as_str() {
                            "expert" => Role::Expert,
                            "stakeholder" => Role::Stakeholder,
                            "panellist" => Role::Panellist,
                            _ => Role::Delegate,
                        },
                    )
                }>
                    <option value="delegate">{labels::role(Role::Delegate)}</option>
                    <option value="expert">{labels::role(Role::Expert)}</option>
                    <option value="stakeholder">{labels::role(Role::Stakeholder)}</option>
                    <option value="panellist">{labels::role(Role::Panellist)}</option>
                </select>
            </label>
            <Field label=affiliation_label name="speaker-affiliation" maxlength=120 value=affiliation />
            <label class:hidden=panellist>
                {tr!(chair.kind)}
                <select on:change=move |ev| kind.set(labels::parse_kind(&event_target_value(&ev)))>
                    <option value="statement">{labels::kind(RequestKind::Statement)}</option>
                    <option value="point_of_order">{labels::kind(RequestKind::PointOfOrder)}</option>
                    <option value="right_of_reply">{labels::kind(RequestKind::RightOfReply)}</option>
                </select>
            </label>
            <label>
                {tr!(chair.where_label)}
                <select on:change=move |ev| {
                    presence.set(if event_target_value(&ev) == "remote" { Presence::Remote } else { Presence::InRoom })
                }>
                    <option value="in_room">{labels::presence(Presence::InRoom)}</option>
                    <option value="remote">{labels::presence(Presence::Remote)}</option>
                </select>
            </label>
            <label>
                {tr!(chair.language)}
                <select on:change=move |ev| language.set(event_target_value(&ev))>
                    {LANGUAGES
                        .iter()
                        .map(|(tag, name)| view! { <option value=*tag>{*name}</option> })
                        .collect_view()}
                </select>
            </label>
            <div class:hidden=move || role.get() != Role::Delegate || kind.get() != RequestKind::Statement>
                <GroupSelect group=group />
            </div>
            <Field label=tr!(chair.note_optional) name="speaker-note" maxlength=shared::MAX_NOTE_CHARS value=note />
            <p class="problem" id="add-speaker-problem" role="alert" data-problem="add-speaker">
                {move || problem.get().map(|p| tr!(chair.nothing_added, problem = p))}
            </p>
            <button type="submit" class="primary">
                {move || if panellist() { tr!(chair.give_floor_now) } else { tr!(chair.add_to_list) }}
            </button>
        </form>
    }
}
