//! The links of a meeting, or of a whole process, on the secretariat's console: a link for every
//! delegation of a list at once
//! (pasted from a spreadsheet; the server reads it and names each line it cannot — reading it here
//! too would bring Unicode's normalisation tables into the client), a link for each
//! officer (chair, vice-chair, interpreters, display), a token for the room's conference system
//! (its seats' request-to-speak buttons), the links issued so far with re-issue and revoke, a CSV
//! for a mail merge, and a printable sheet with a QR code per delegation.

use leptos::prelude::*;
use leptos::task::spawn_local;
use shared::api::{IssuedLink, LinksAnswer, LinksRequest, Officer};
use shared::delegations::DelegationKind;
use shared::{MeetingId, Role};

use crate::components::field::Field;
use crate::components::load_more::LoadMore;
use crate::components::secretariat_console::Outcome;
use crate::http;
use crate::paged::Paged;

/// The roles an officer's link may have, as the form offers them.
fn officer_roles() -> [(Role, &'static str); 5] {
    [
        (Role::Chair, crate::tr!(desk.officer_chair)),
        (Role::ViceChair, crate::tr!(desk.officer_vice_chair)),
        (Role::Secretariat, crate::tr!(desk.officer_secretariat)),
        (Role::Interpreter, crate::tr!(desk.officer_interpreters)),
        (Role::Observer, crate::tr!(desk.officer_display)),
    ]
}

/// The list as typed: a header naming the `delegation` column, or one delegation per line (a
/// header is then added), as a spreadsheet's column pasted on its own would be.
pub fn with_header(text: &str) -> String {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or_default();
    if first.to_lowercase().contains("delegation") {
        text.to_string()
    } else {
        format!("delegation\n{text}")
    }
}

#[component]
pub fn LinksPanel(process: String, meeting: Option<String>, token: String) -> impl IntoView {
    let path = match &meeting {
        Some(meeting) => format!("/api/processes/{}/links?meeting={}", http::encode(&process), http::encode(meeting)),
        None => format!("/api/processes/{}/links", http::encode(&process)),
    };
    // A link to the whole process opens every meeting of it: delegations and the secretariat's
    // officers; the chair, interpreters and displays have a meeting's.
    let officers: Vec<(Role, &str)> =
        officer_roles().into_iter().filter(|(role, _)| meeting.is_some() || *role == Role::Secretariat).collect();
    let caption =
        if meeting.is_some() { crate::tr!(desk.links_caption_meeting) } else { crate::tr!(desk.links_caption_process) };
    let heading =
        if meeting.is_some() { crate::tr!(desk.links_heading) } else { crate::tr!(desk.links_heading_process) };
    let links = Paged::<IssuedLink>::new(path, Some(token.clone()));
    let issue_path = StoredValue::new(format!("/api/processes/{}/links", http::encode(&process)));
    let meeting_id = StoredValue::new(meeting.and_then(|m| MeetingId::parse(m).ok()));
    let token = StoredValue::new(token);
    let outcome = RwSignal::new(None::<Result<String, String>>);
    let sheet = RwSignal::new(false);

    let send = move |request: LinksRequest| {
        spawn_local(async move {
            let answer: Result<LinksAnswer, String> =
                http::post(&issue_path.get_value(), Some(&token.get_value()), Some(&request)).await;
            outcome.set(Some(answer.map(|a| match a.kept {
                0 => crate::trn!(desk.links_issued, count = a.issued as i32),
                kept => crate::trn!(desk.links_issued_some_kept, count = a.issued as i32, kept = kept),
            })));
            links.reload();
        })
    };

    let list = RwSignal::new(String::new());
    let issue_list = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let list = Some(with_header(&list.get_untracked()));
        send(LinksRequest { meeting: meeting_id.get_value(), ttl_hours: None, list, officer: None, device: None });
    };

    let officer_name = RwSignal::new(String::new());
    let officer_role = RwSignal::new(officers[0].0);
    let issue_officer = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let officer = Officer { role: officer_role.get_untracked(), name: officer_name.get_untracked() };
        send(LinksRequest {
            meeting: meeting_id.get_value(),
            ttl_hours: None,
            list: None,
            officer: Some(officer),
            device: None,
        });
        officer_name.set(String::new());
    };

    let device_name = RwSignal::new(String::new());
    let issue_device = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let device = Some(device_name.get_untracked());
        send(LinksRequest { meeting: meeting_id.get_value(), ttl_hours: None, list: None, officer: None, device });
        device_name.set(String::new());
    };

    let act = move |what: &'static str, id: String| {
        spawn_local(async move {
            let path = format!("/api/links/{}/{what}", http::encode(&id));
            let body =
                (what == "revoke").then(|| serde_json::json!({"reason": "Revoked from the secretariat's console"}));
            let answer: Result<IssuedLink, String> = http::post(&path, Some(&token.get_value()), body.as_ref()).await;
            outcome.set(Some(answer.map(|l| {
                if what == "revoke" {
                    crate::tr!(desk.link_revoked, who = who(&l))
                } else {
                    crate::tr!(desk.link_issued_again, who = who(&l))
                }
            })));
            links.reload();
        })
    };

    let download = move |_| {
        let rows = links.list.with_untracked(|l| l.as_ref().and_then(|r| r.as_ref().ok()).cloned()).unwrap_or_default();
        let csv = shared::api::links_csv(&rows, shared::Millis(crate::browser::local_now()));
        let options = web_sys::BlobPropertyBag::new();
        options.set_type("text/csv;charset=utf-8");
        let saved = web_sys::Blob::new_with_str_sequence_and_options(&js_sys::Array::of1(&csv.into()), &options)
            .map_err(|_| crate::tr!(desk.file_not_made).to_string())
            .and_then(|blob| {
                crate::browser::save_blob(&blob, &format!("links-{}.csv", meeting_file(meeting_id.get_value())))
            });
        if let Err(problem) = saved {
            outcome.set(Some(Err(problem)));
        }
    };

    let rows = move || match links.list.get() {
        None => view! { <p class="empty">{crate::tr!(desk.loading)}</p> }.into_any(),
        Some(Err(message)) => view! { <p class="problem" role="alert">{message}</p> }.into_any(),
        Some(Ok(all)) if all.is_empty() => view! { <p class="empty">{crate::tr!(desk.no_link_yet)}</p> }.into_any(),
        Some(Ok(all)) => view! {
            <table class="links">
                <caption class="sr-only">{caption}</caption>
                <thead>
                    <tr>
                        <th scope="col">{crate::tr!(desk.col_for)}</th>
                        <th scope="col">{crate::tr!(desk.col_role)}</th>
                        <th scope="col">{crate::tr!(desk.col_link)}</th>
                        <th scope="col">{crate::tr!(desk.col_expires)}</th>
                        <th scope="col">{crate::tr!(desk.col_actions)}</th>
                    </tr>
                </thead>
                <tbody>
                    {all.into_iter().map(|l| link_row(l, act)).collect_view()}
                </tbody>
            </table>
        }
        .into_any(),
    };

    view! {
        <section class="card links-panel" aria-labelledby="links-heading">
            <h2 id="links-heading">{heading}</h2>
            <form class="stack issue-list" on:submit=issue_list>
                <Field
                    label=crate::tr!(desk.delegations_label)
                    value=list
                    name="delegations"
                    rows=8
                    placeholder="delegation;representative\nChile;Ana Rojas\nKenya;"
                    hint=crate::tr!(desk.delegations_hint)
                />
                <button type="submit" disabled=move || list.get().trim().is_empty()>
                    {crate::tr!(desk.issue_list_button)}
                </button>
            </form>
            <form class="inline-form issue-officer" on:submit=issue_officer>
                <label>
                    {crate::tr!(desk.officer_label)}
                    <select
                        name="officer_role"
                        on:change=move |ev| officer_role.set(event_target_value(&ev).parse().unwrap_or(Role::Chair))
                    >
                        {officers
                            .iter()
                            .map(|(role, label)| view! { <option value=shared::report::key(role)>{*label}</option> })
                            .collect_view()}
                    </select>
                </label>
                <Field label=crate::tr!(desk.name_label) value=officer_name name="officer_name" required=true maxlength=120 placeholder=crate::tr!(desk.officer_name_placeholder) />
                <button type="submit">{crate::tr!(desk.issue_officer_button)}</button>
            </form>
            <form class="inline-form issue-device" on:submit=issue_device>
                <Field
                    label=crate::tr!(desk.device_label)
                    value=device_name
                    name="device_name"
                    required=true
                    maxlength=120
                    placeholder=crate::tr!(desk.device_placeholder)
                    hint=crate::tr!(desk.device_hint)
                />
                <button type="submit">{crate::tr!(desk.issue_device_button)}</button>
            </form>
            <Outcome outcome=outcome />
            <p class="downloads">
                <button type="button" on:click=download>{crate::tr!(desk.download_links)}</button>
                " "
                <button type="button" on:click=move |_| sheet.set(true)>{crate::tr!(desk.show_qr_sheet)}</button>
            </p>
            {rows}
            <LoadMore list=links />
            <Show when=move || sheet.get()>
                <QrSheet links=links close=Callback::new(move |()| sheet.set(false)) />
            </Show>
        </section>
    }
}

/// "Ana Rojas (Chile)" or an officer's name.
fn who(link: &IssuedLink) -> String {
    match &link.participant.delegation {
        Some(delegation) => format!("{} ({delegation})", link.participant.name),
        None => link.participant.name.clone(),
    }
}

/// "Member State", "Observer State", "Intergovernmental organisation", in the page's language.
fn kind_label(kind: DelegationKind) -> &'static str {
    match kind {
        DelegationKind::MemberState => crate::tr!(desk.kind_member_state),
        DelegationKind::ObserverState => crate::tr!(desk.kind_observer_state),
        DelegationKind::IntergovernmentalOrganisation => crate::tr!(desk.kind_intergovernmental_organisation),
    }
}

fn meeting_file(meeting: Option<MeetingId>) -> String {
    meeting.map_or_else(|| "process".to_string(), |m| m.to_string())
}

fn link_row(link: IssuedLink, act: impl Fn(&'static str, String) + Copy + 'static) -> impl IntoView {
    let role = match link.kind {
        Some(kind) => kind_label(kind).to_string(),
        None if link.device => crate::tr!(desk.role_conference_system).to_string(),
        None => crate::labels::role(link.participant.role).to_string(),
    };
    let expires = shared::report::utc(link.expires_at);
    let (reissue_id, revoke_id) = (link.id.clone(), link.id.clone());
    let name = who(&link);
    let status = if link.revoked_at.is_some() {
        "revoked"
    } else if link.link.is_some() || link.token.is_some() {
        "works"
    } else {
        "expired"
    };
    view! {
        <tr data-link=link.id.clone() data-status=status>
            <td>
                <bdi>{link.participant.name.clone()}</bdi>
                {link.participant.delegation.clone().map(|d| view! { " (" <bdi>{d}</bdi> ")" })}
            </td>
            <td>{role}</td>
            <td>
                {match (link.link.clone(), link.token.clone()) {
                    (Some(address), _) => view! {
                        <input class="personal-link" readonly aria-label=crate::tr!(desk.link_of, name = name.clone()) prop:value=address />
                    }
                    .into_any(),
                    (None, Some(token)) => view! {
                        <input class="device-token" readonly aria-label=crate::tr!(desk.token_of, name = name.clone()) prop:value=token />
                    }
                    .into_any(),
                    (None, None) if link.revoked_at.is_some() => view! { <span>{crate::tr!(desk.link_state_revoked)}</span> }.into_any(),
                    (None, None) => view! { <span>{crate::tr!(desk.link_state_expired)}</span> }.into_any(),
                }}
            </td>
            <td>{expires}</td>
            <td class="actions">
                <button type="button" aria-label=crate::tr!(desk.issue_again_label, name = name.clone()) on:click=move |_| act("reissue", reissue_id.clone())>
                    {crate::tr!(desk.issue_again_button)}
                </button>
                <button
                    type="button"
                    disabled=link.revoked_at.is_some()
                    aria-label=crate::tr!(desk.revoke_link_label, name = name.clone())
                    on:click=move |_| act("revoke", revoke_id.clone())
                >
                    {crate::tr!(desk.revoke_button)}
                </button>
            </td>
        </tr>
    }
}

/// The sheet handed to delegations in the room: a card per working link with a QR code to scan.
/// Printed (Ctrl+P, or the button), only the cards are on paper.
#[component]
fn QrSheet(links: Paged<IssuedLink>, close: Callback<()>) -> impl IntoView {
    let cards = move || {
        links.list.with(|l| {
            l.as_ref()
                .and_then(|r| r.as_ref().ok())
                .map(|all| {
                    all.iter()
                        .filter_map(|link| link.link.clone().map(|address| (who(link), link.kind, address)))
                        .map(|(name, kind, address)| {
                            let svg = qr_svg(&address);
                            view! {
                                <li class="qr-card">
                                    <p class="name">{name.clone()}</p>
                                    {kind.map(|k| view! { <p class="small">{kind_label(k)}</p> })}
                                    <div class="qr" role="img" aria-label=crate::tr!(desk.qr_label, name = name.clone()) inner_html=svg></div>
                                    <p class="address">{address}</p>
                                </li>
                            }
                        })
                        .collect_view()
                })
        })
    };
    view! {
        <section class="qr-sheet" aria-labelledby="qr-heading">
            <h2 id="qr-heading">{crate::tr!(desk.qr_heading)}</h2>
            <p class="no-print">
                <button type="button" on:click=move |_| crate::browser::print()>{crate::tr!(desk.print_button)}</button>
                " "
                <button type="button" on:click=move |_| close.run(())>{crate::tr!(desk.close_sheet_button)}</button>
            </p>
            <ul class="qr-cards">{cards}</ul>
        </section>
    }
}

/// A QR code of `text` as an SVG image (black on white, with its quiet zone), or nothing when the
/// text is too long for a QR code.
fn qr_svg(text: &str) -> String {
    match qrcode::QrCode::with_error_correction_level(text.as_bytes(), qrcode::EcLevel::L) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(180, 180)
            .dark_color(qrcode::render::svg::Color("#000000"))
            .light_color(qrcode::render::svg::Color("#ffffff"))
            .build(),
        Err(_) => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_column_of_names_gets_the_header_the_reader_needs() {
        assert_eq!(with_header("Chile\nKenya\n"), "delegation\nChile\nKenya\n");
        assert_eq!(with_header("Delegation;Representative\nChile;Ana\n"), "Delegation;Representative\nChile;Ana\n");
        let list = shared::delegations::parse_list(&with_header("Chile\nTurkey\n")).unwrap();
        assert_eq!(list[1].delegation.name, "Türkiye");
    }

    #[test]
    fn a_link_becomes_an_svg_qr_code() {
        let svg = qr_svg("http://127.0.0.1:8080/speak?meeting=s9-m3#token=eyJhbGciOiJIUzI1NiJ9.e30.abc");
        assert!(svg.contains("<svg") && svg.contains("#000000"), "{svg}");
    }
}
