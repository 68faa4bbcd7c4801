//! Asking for the floor in the active segment, and where one stands: position, an estimate of
//! when one will speak in one's own time and in the meeting's, withdrawing (once confirmed), and
//! why the chair took one's request off the list, if they did.

use leptos::prelude::*;
use shared::{Command, Gender, Language, Presence, RequestKind, Role};

use crate::browser::{local_now, time_of_day, unlock_audio};
use crate::components::field::Field;
use crate::components::withdraw_control::WithdrawControl;
use crate::labels::{self, LANGUAGES};
use crate::live::Live;
use crate::standing::my_entry;
use crate::timing::{duration_text, wait_estimate_ms};

/// How long after "Ask for the floor" the request's standing, once it shows, takes the focus.
const FOCUS_AFTER_ASKING_MS: i64 = 5_000;

/// The active segment's request controls; `kind`, `language`, `presence` and the declared
/// `gender` are the person's choices, shared with the list of segments.
#[component]
pub fn RequestPanel(
    kind: RwSignal<RequestKind>,
    language: RwSignal<String>,
    presence: RwSignal<Presence>,
    gender: RwSignal<Option<Gender>>,
    time_zone: Option<String>,
) -> impl IntoView {
    let live = expect_context::<Live>();
    let me = Memo::new(move |_| live.session.with(|s| s.you.clone()));
    let standing = Memo::new(move |_| live.session.with(|s| s.standing));
    let zone = StoredValue::new(time_zone);
    let co_signers = RwSignal::new(String::new());
    let note_text = RwSignal::new(String::new());
    // The group of states a delegate's statement is made on behalf of ("" for the delegation's own).
    let group = RwSignal::new(String::new());
    // Once asked, the form gives way to the request's standing: the focus goes there, not to the page.
    // Only for the answer to a request just sent: one the server refused leaves no claim on the
    // focus for when the chair adds the person later.
    let (asked_at, standing_ref) = (StoredValue::new(None::<i64>), NodeRef::<leptos::html::P>::new());
    Effect::new(move || {
        let Some(p) = standing_ref.get() else { return };
        if asked_at.get_value().is_some_and(|at| local_now() - at < FOCUS_AFTER_ASKING_MS) {
            let _ = p.focus();
        }
        asked_at.set_value(None);
    });

    let ask = move |_| {
        unlock_audio();
        let Ok(language) = Language::parse(language.get_untracked()) else { return };
        let command = Command::RequestFloor {
            segment: None,
            kind: kind.get_untracked(),
            presence: presence.get_untracked(),
            language,
            co_signers: crate::accreditation::co_signers(&co_signers.get_untracked()),
            gender: gender.get_untracked(),
            note: Some(note_text.get_untracked()),
            group: crate::components::group_select::chosen(&group.get_untracked(), kind.get_untracked()),
        };
        asked_at.set_value(Some(local_now()));
        live.send(command, crate::tr!(live.ask_for_the_floor));
    };
    // Whether the person waits in the active list: the withdraw control lives as long as this does
    // not change, so that its confirmation survives other people's requests coming and going.
    let inscribed = Memo::new(move |_| {
        let Some(me) = me.get() else { return false };
        live.with_meeting(|m| m.active().is_some_and(|s| my_entry(s, &me.id).is_some())).unwrap_or(false)
    });
    // The chair's latest removal of the person's request from the active list, until they ask
    // again (the meeting keeps it, so it is told after a reload too) or dismiss it.
    let removal = Memo::new(move |_| {
        let me = me.get()?;
        live.with_meeting(|m| {
            let segment = m.active()?.id;
            m.removals.iter().find(|r| r.segment == segment && r.speaker == me.id).cloned()
        })
        .flatten()
    });
    let dismissed = RwSignal::new(None::<shared::Millis>);
    let removed = move || {
        let removal = removal.get().filter(|r| dismissed.get() != Some(r.at))?;
        let text = match &removal.reason {
            Some(reason) => {
                crate::tr!(live.chair_removed_request_reason, reason = crate::removal::reason_for_reader(reason))
            }
            None => crate::tr!(live.chair_removed_request).to_string(),
        };
        Some(view! {
            <div class="removed-notice" role="alert" data-removed="">
                <p>{text}</p>
                <button class="dismiss" on:click=move |_| dismissed.set(Some(removal.at))>
                    {crate::tr!(live.dismiss)}
                </button>
            </div>
        })
    };

    let body = move || {
        let me = me.get()?;
        live.with_meeting(|m| {
            let Some(segment) = m.active() else {
                return view! { <p class="empty">{crate::tr!(live.no_segment_open_chair_opens)}</p> }.into_any();
            };
            let title = segment.spec.title.clone();
            if let Some(why) = labels::why_not(segment, me.role, standing.get()) {
                return view! {
                    <h2 dir="auto">{title}</h2>
                    <p class="why-not" data-why-not="">{why}</p>
                }
                .into_any();
            }
            match my_entry(segment, &me.id) {
                Some((position, entry)) => {
                    let of = segment.entries.len();
                    let id = entry.id;
                    // Redrawn with the clock on its own, not the whole panel.
                    let estimate = move || {
                        let now = live.now.get();
                        live.with_meeting(|m| {
                            wait_estimate_ms(m, id, now).map(|wait| {
                                let at = shared::Millis(now.0 + wait);
                                let local = time_of_day(at, None, false).unwrap_or_default();
                                let zone = zone.get_value().or_else(|| m.info.time_zone.clone());
                                let meeting = time_of_day(at, Some(zone.as_deref().unwrap_or("UTC")), false)
                                    .map(|t| {
                                        crate::tr!(
                                            live.meeting_time_at,
                                            time = t,
                                            zone = zone.as_deref().unwrap_or("UTC")
                                        )
                                    })
                                    .unwrap_or_default();
                                (duration_text(wait), local, meeting)
                            })
                        })
                        .flatten()
                        .map(|(wait, local, meeting)| {
                            view! {
                                <p class="estimate">
                                    {crate::tr!(live.estimate_before_time, wait = wait)}
                                    <strong>{local}</strong>
                                    {crate::tr!(live.estimate_after_time)}
                                    <span class="small">{format!(" · {meeting}")}</span>
                                </p>
                            }
                        })
                    };
                    view! {
                        <h2 dir="auto">{title}</h2>
                        <p class="position" data-position=position.to_string() tabindex="-1" node_ref=standing_ref>
                            <span class="big">{format!("{position}")}</span>
                            {crate::tr!(live.position_of_total, total = of)}
                        </p>
                        <p class="small">
                            {labels::kind(entry.kind)}
                            {format!(" · {} · {}", labels::presence(entry.presence), entry.language)}
                        </p>
                        {estimate}
                    }
                    .into_any()
                }
                None => {
                    let segment_id = segment.id;
                    // Redrawn with the clock on its own: a list that opens later says so until then.
                    let note = move || {
                        let now = live.now.get();
                        live.with_meeting(|m| {
                            let zone = crate::time_zone::meeting_zone(&m.info, zone.get_value().as_deref());
                            m.segment(segment_id).and_then(|s| labels::list_note(s, now, &zone))
                        })
                        .flatten()
                        .map(|note| view! { <p class="why-not">{note}</p> })
                    };
                    view! {
                        <h2 dir="auto">{title}</h2>
                        {note}
                        <div class="ask">
                            <label>
                                {crate::tr!(live.kind_label)}
                                <select
                                    prop:value=move || {
                                        serde_json::to_value(kind.get())
                                            .ok()
                                            .and_then(|v| v.as_str().map(String::from))
                                            .unwrap_or_default()
                                    }
                                    on:change=move |ev| kind.set(labels::parse_kind(&event_target_value(&ev)))
                                >
                                    <option value="statement">{labels::kind(RequestKind::Statement)}</option>
                                    <option value="point_of_order">{labels::kind(RequestKind::PointOfOrder)}</option>
                                    <option value="right_of_reply">{labels::kind(RequestKind::RightOfReply)}</option>
                                </select>
                            </label>
                            <label>
                                {crate::tr!(live.language_label)}
                                <select
                                    prop:value=move || language.get()
                                    on:change=move |ev| language.set(event_target_value(&ev))
                                >
                                    {LANGUAGES
                                        .iter()
                                        .map(|(tag, name)| view! { <option value=*tag>{*name}</option> })
                                        .collect_view()}
                                </select>
                            </label>
                        </div>
                        {(me.role == Role::Delegate)
                            .then(|| view! { <crate::components::group_select::GroupSelect group=group /> })}
                        {(me.role == Role::Stakeholder)
                            .then(|| {
                                view! {
                                    <Field
                                        label=crate::tr!(live.co_signers_label)
                                        name="co_signers"
                                        placeholder=crate::tr!(live.co_signers_placeholder)
                                        class="co-signers-field"
                                        value=co_signers
                                    />
                                }
                            })}
                        <Field
                            label=crate::tr!(live.note_label)
                            name="request_note"
                            maxlength=shared::MAX_NOTE_CHARS
                            placeholder=crate::tr!(live.note_placeholder)
                            class="note-field"
                            value=note_text
                        />
                        <label class="gender-field">
                            {crate::tr!(live.parity_label)}
                            <select
                                name="gender"
                                on:change=move |ev| {
                                    let value = event_target_value(&ev);
                                    crate::browser::remember(crate::gender::STORAGE_KEY, &value);
                                    gender.set(crate::gender::parse(Some(&value)));
                                }
                            >
                                {crate::gender::choices()
                                    .into_iter()
                                    .map(|(value, label)| {
                                        let chosen = move || crate::gender::stored(gender.get()) == value;
                                        view! { <option value=value selected=chosen>{label}</option> }
                                    })
                                    .collect_view()}
                            </select>
                        </label>
                        <button class="primary big-button" data-action="ask" on:click=ask>
                            {crate::tr!(live.ask_for_the_floor)}
                        </button>
                    }
                    .into_any()
                }
            }
        })
    };

    view! {
        <section class="card request" aria-label=crate::tr!(live.your_request)>
            {removed}
            {body}
            <Show when=move || inscribed.get()>
                <WithdrawControl segment=None label=crate::tr!(live.withdraw_my_request) />
            </Show>
        </section>
    }
}
