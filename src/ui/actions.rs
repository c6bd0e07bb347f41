//! What a page asks the app to do. Pages edit the draft; everything else goes through here.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Page {
    #[default]
    Patient,
    Indication,
    Screening,
    Regimen,
    Review,
    Order,
}

impl Page {
    pub const ALL: [Page; 6] = [
        Page::Patient,
        Page::Indication,
        Page::Screening,
        Page::Regimen,
        Page::Review,
        Page::Order,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Page::Patient => "Patient",
            Page::Indication => "Indication",
            Page::Screening => "Screening",
            Page::Regimen => "Regimen",
            Page::Review => "Review",
            Page::Order => "Order",
        }
    }

    pub fn index(self) -> usize {
        Page::ALL.iter().position(|p| *p == self).unwrap_or(0)
    }

    pub fn next(self) -> Option<Page> {
        Page::ALL.get(self.index() + 1).copied()
    }

    pub fn previous(self) -> Option<Page> {
        self.index()
            .checked_sub(1)
            .and_then(|i| Page::ALL.get(i).copied())
    }

    pub fn parse(s: &str) -> Option<Page> {
        Page::ALL
            .iter()
            .copied()
            .find(|p| p.title().eq_ignore_ascii_case(s.trim()))
    }

    /// The contract path of the page's first field: keyboard focus goes there when the page
    /// opens (not to the toolbar). The Review and Order pages start with text to read.
    pub fn first_field(self, protocol: &crate::domain::Protocol) -> Option<String> {
        match self {
            Page::Patient => Some("order.patient_name".into()),
            Page::Indication => Some("condition".into()),
            Page::Screening => protocol
                .screening_codes()
                .next()
                .map(|d| format!("screening.{}", d.code)),
            Page::Regimen => Some("regimen.setting".into()),
            Page::Review | Page::Order => None,
        }
    }

    /// The page that edits a field, by the field's contract path.
    pub fn for_field(field: &str) -> Page {
        let head = field.split(['.', '[']).next().unwrap_or("");
        match head {
            "patient" => Page::Patient,
            "condition" | "condition_detail" => Page::Indication,
            "screening" | "screening_no" | "risk_scores" => Page::Screening,
            "history" => Page::Regimen,
            "regimen" if field == "regimen.dosing_weight" => Page::Patient,
            "regimen" => Page::Regimen,
            // The weight is confirmed beside the weight field (V4-20).
            "justifications" if field == "justifications.weight_unusual" => Page::Patient,
            "justifications" => Page::Review,
            "order" => match field {
                "order.patient_name"
                | "order.mrn"
                | "order.date_of_birth"
                | "order.weighed_on"
                | "order.allergies" => Page::Patient,
                _ => Page::Review,
            },
            _ => Page::Patient,
        }
    }
}

/// What fills the window: the wizard, or one of the app's own views.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum View {
    #[default]
    Wizard,
    Protocol,
    Preferences,
    /// The treatment course (sessions, follow-up, flowsheet, follow-on planner).
    Course,
    /// The clinic database's patients, follow-up calls and imports.
    Patients,
}

impl View {
    pub fn parse(s: &str) -> Option<View> {
        match s.trim().to_ascii_lowercase().as_str() {
            "wizard" => Some(View::Wizard),
            "protocol" => Some(View::Protocol),
            "preferences" => Some(View::Preferences),
            "course" => Some(View::Course),
            "patients" => Some(View::Patients),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Show a page.
    GoTo(Page),
    /// Show the page that edits this field (contract path) and bring the field into view.
    GoToField(String),
    /// Show the wizard, the protocol or the preferences.
    ShowView(View),
    NewCase,
    OpenCase,
    OpenRecent(String),
    Save,
    SaveAs,
    /// Save the open course (Ctrl+S in the Course view), or ask where when it has no file.
    SaveCourse,
    /// Save the open course under another name (Ctrl+Shift+S in the Course view).
    SaveCourseAs,
    /// Choose a clinic's protocol pack (file dialog).
    PickProtocol,
    UseBuiltInProtocol,
    /// Trust the public key typed in Preferences (a `KEY.pub` path or its text).
    TrustKey,
    /// Stop trusting the key at this place of the Preferences list.
    UntrustKey(usize),
    ClearRecent,
    ForgetLastFolder,
    /// Zoom in (+1), out (−1) or back to 100 % (0).
    Zoom(i8),
    DismissNotice,
    /// Forget the order number a case file brought that is not this order's own.
    DropOrderNumber,
    /// Export, print (the Order page, Ctrl+P).
    Order(OrderAction),
    /// Lock the workstation now (the signed-in user's "Lock").
    LockWorkstation,
}

/// What the Order page asks the app to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderAction {
    /// Ask where, then export the order (Ctrl+P).
    Export,
    /// Ask where, then the signed-in physician's password, then export the signed order.
    SignAndExport,
    /// Ask where, then export the order as a FHIR R4 Bundle (JSON) for the EHR.
    ExportFhir,
    /// The signed-in pharmacist's check, or a clinician's double check, of a printed order.
    RecordCheck,
    /// Send the order to the chosen printer.
    Print,
    /// Look for the print service again (after installing or adding a printer).
    RefreshPrinters,
}
