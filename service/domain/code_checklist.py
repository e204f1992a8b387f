"""The Housing Ombudsman's Complaint Handling Code (2024), provision by provision, as its self-assessment form
(Appendix A of the Code) lists them: every numbered requirement of sections 1 to 9, each paraphrased. The annual
self-assessment (Code 8.1) answers each one; the linter's findings name these numbers in `Finding.section`.

The form leaves out 1.1, which sets no requirement, so section 1 starts at 1.2."""

from __future__ import annotations

from dataclasses import dataclass

SECTIONS = {
    "1": "Definition of a complaint",
    "2": "Exclusions",
    "3": "Accessibility and awareness",
    "4": "Complaint handling staff",
    "5": "The complaint handling process",
    "6": "Complaints stages",
    "7": "Putting things right",
    "8": "Self-assessment, reporting and compliance",
    "9": "Scrutiny & oversight: continuous learning and improvement",
}


@dataclass(frozen=True)
class Provision:
    """One numbered provision of the Code: one line of the self-assessment."""

    key: str
    requirement: str

    @property
    def section(self) -> str:
        """The Code section the provision belongs to ("6" for 6.14)."""
        return self.key.split(".")[0]

    @property
    def sections(self) -> tuple[str, ...]:
        """The Code numbers a linter finding must name to be shown against this provision."""
        return (self.key,)


def _provisions(*lines: tuple[str, str]) -> tuple[Provision, ...]:
    return tuple(Provision(key, requirement) for key, requirement in lines)


CHECKLIST = _provisions(
    ("1.2", "A complaint is defined as the Code defines it: dissatisfaction, however expressed, with the landlord's "
            "service, action or inaction (or that of its staff or agents) affecting a resident or group of residents."),
    ("1.3", "Residents need not use the word 'complaint'; when they express dissatisfaction they are offered the "
            "choice to complain, and complaints made through a representative follow the same policy."),
    ("1.4", "The policy tells service requests and complaints apart; service requests are recorded, monitored and "
            "reviewed regularly."),
    ("1.5", "Dissatisfaction with the response to a service request is raised as a complaint, and work on the "
            "service request carries on."),
    ("1.6", "Survey feedback is not a complaint, but the person is told how to complain where possible; wider "
            "requests for feedback say how to complain."),
    ("2.1", "Complaints are accepted unless there is a valid reason not to, each on its merits, with the reasoning "
            "evidenced."),
    ("2.2", "The policy sets out fair and reasonable exclusions (such as issues over twelve months old, legal "
            "proceedings filed at court, matters already considered)."),
    ("2.3", "Complaints made within 12 months of the issue (or of becoming aware of it) are accepted, with "
            "discretion to accept older ones for good reason."),
    ("2.4", "A refusal is explained to the resident, with the reasons and their right to take the decision to the "
            "Ombudsman."),
    ("2.5", "There are no blanket exclusions: each complaint's circumstances are considered."),
    ("3.1", "Several channels make complaining easy; Equality Act 2010 duties and reasonable adjustments are "
            "anticipated."),
    ("3.2", "Complaints can be raised in any way with any member of staff; all staff know the process and can pass "
            "a complaint on."),
    ("3.3", "High volumes of complaints are not seen as a negative."),
    ("3.4", "The policy is clear and accessible, sets out the two stages and their timescales, and is published on "
            "the complaints section of the website."),
    ("3.5", "The policy says how it is publicised, including information about the Ombudsman and the Code."),
    ("3.6", "Residents may have a representative deal with their complaint and accompany them at meetings."),
    ("3.7", "Residents are told of their right to go to the Ombudsman and how to engage with the Ombudsman about "
            "their complaint."),
    ("4.1", "A person or team (the 'complaints officer') is responsible for complaint handling, Ombudsman liaison "
            "and reporting to the governing body."),
    ("4.2", "The complaints officer has access to staff at all levels and the authority to resolve disputes "
            "promptly and fairly."),
    ("4.3", "Complaint handling is prioritised and resourced as a core service, and relevant staff are trained."),
    ("5.1", "A single complaints policy; residents are not treated differently for complaining."),
    ("5.2", "No extra named stages such as a 'stage 0' or an 'informal complaint'."),
    ("5.3", "No more than two stages."),
    ("5.4", "A third party handling complaints does so within the same two-stage process; residents never go "
            "through two processes."),
    ("5.5", "The landlord makes sure third parties handle complaints in line with the Code."),
    ("5.6", "At logging (Stage 1) and escalation (Stage 2) the complaint definition is set out: the issues and the "
            "outcomes sought, clarified with the resident where unclear."),
    ("5.7", "On acknowledgement it is made clear which aspects the landlord is, and is not, responsible for."),
    ("5.8", "Complaint handlers deal with each complaint on its merits, independently, give the resident a fair "
            "chance to put their case, address conflicts of interest and weigh all evidence."),
    ("5.9", "Where a response will fall outside the Code's timescales, intervals for updating the resident are "
            "agreed with them."),
    ("5.10", "Reasonable adjustments are made; agreed adjustments and disclosed disabilities are recorded and kept "
             "under active review."),
    ("5.11", "Escalation is not refused without a valid reason, explained to the resident, within section 2."),
    ("5.12", "A full record is kept: the complaint and date received, all correspondence, other parties' "
             "correspondence, supporting documents and the outcome at each stage."),
    ("5.13", "Complaints can be remedied at any stage without the need to escalate."),
    ("5.14", "Policies and procedures exist for managing unacceptable behaviour by residents or their "
             "representatives when pursuing a complaint."),
    ("5.15", "Restrictions on contact because of unacceptable behaviour are proportionate and have regard to the "
             "Equality Act 2010."),
    ("6.1", "Processes decide which complaints can be answered early and which need investigation, weighing "
            "complexity and whether the resident is vulnerable or at risk."),
    ("6.2", "Stage 1 complaints are acknowledged, defined and logged within 5 working days of receipt."),
    ("6.3", "A full Stage 1 response is issued within 10 working days of acknowledgement."),
    ("6.4", "A Stage 1 extension is decided on the complaint's complexity and explained to the resident; no more "
            "than 10 further working days without good reason."),
    ("6.5", "A resident told of a Stage 1 extension is given the Ombudsman's contact details."),
    ("6.6", "The Stage 1 response is sent when the answer is known, not when the actions are done; outstanding "
            "actions are tracked and the resident updated."),
    ("6.7", "The Stage 1 response addresses every point raised, with clear reasons referring to policy, law and good "
            "practice."),
    ("6.8", "Related new issues raised before the Stage 1 response are included in it; others are logged as a new "
            "complaint."),
    ("6.9", "The Stage 1 response confirms in writing, in plain language: the stage, the complaint definition, the "
            "decision and reasons, any remedy, outstanding actions, and how to escalate."),
    ("6.10", "A complaint not resolved to the resident's satisfaction at Stage 1 goes to Stage 2, the landlord's "
             "final response."),
    ("6.11", "Stage 2 requests are acknowledged, defined and logged within 5 working days of the escalation "
             "request."),
    ("6.12", "Residents need not explain why they escalate; the landlord makes reasonable efforts to understand "
             "why they remain unhappy."),
    ("6.13", "The Stage 2 reviewer is not the person who handled Stage 1."),
    ("6.14", "A Stage 2 response is issued within 20 working days of acknowledgement."),
    ("6.15", "A Stage 2 extension is decided on the complaint's complexity and explained to the resident; no more "
             "than 20 further working days without good reason."),
    ("6.16", "A resident told of a Stage 2 extension is given the Ombudsman's contact details."),
    ("6.17", "The Stage 2 response is sent when the answer is known, not when the actions are done; outstanding "
             "actions are tracked and the resident updated."),
    ("6.18", "The Stage 2 response addresses every point raised, with clear reasons referring to policy, law and "
             "good practice."),
    ("6.19", "The Stage 2 response confirms in writing, in plain language: the stage, the complaint definition, the "
             "decision and reasons, any remedy, outstanding actions, and how to go to the Ombudsman."),
    ("6.20", "Stage 2 is the final response and involves every member of staff needed to give it."),
    ("7.1", "Where something went wrong, the landlord acknowledges it and says what it has done or will do to put it "
            "right (apology, explanation, action, changed decision or record, money, changed practice)."),
    ("7.2", "Any remedy reflects the impact of the fault on the resident."),
    ("7.3", "A remedy says what will happen and by when, agreed with the resident where appropriate, and is "
            "followed through to completion."),
    ("7.4", "The Ombudsman's guidance is taken into account when deciding remedies."),
    ("8.1", "An annual complaints performance and service improvement report: this self-assessment, performance "
            "analysis (including refused complaints), any non-compliance findings, service improvements and the "
            "Ombudsman's reports."),
    ("8.2", "The annual report goes to the governing body and is published on the complaints section of the "
            "website, with the governing body's response alongside."),
    ("8.3", "A further self-assessment follows any significant restructure, merger or change in procedures."),
    ("8.4", "The self-assessment is reviewed and updated when the Ombudsman asks, for instance after an "
            "investigation."),
    ("8.5", "If exceptional circumstances stop the landlord complying, it tells the Ombudsman and affected "
            "residents, publishes it on its website and gives a timescale for returning to compliance."),
    ("9.1", "Each complaint is looked at beyond its own circumstances for service improvements."),
    ("9.2", "Complaints are used as intelligence to identify issues and improve services."),
    ("9.3", "Wider learning and improvements from complaints are reported to stakeholders such as residents' "
            "panels, staff and committees."),
    ("9.4", "A suitably senior lead person is accountable for complaint handling and assesses themes and trends "
            "for systemic issues, serious risks and policies needing revision."),
    ("9.5", "The governing body appoints one of its members as the Member Responsible for Complaints (MRC)."),
    ("9.6", "The MRC makes sure the governing body regularly receives information on complaint handling "
            "performance, and has the access to information and staff the role needs."),
    ("9.7", "The MRC and governing body receive at least: regular updates on volumes, categories, outcomes and "
            "performance; reviews of issues and trends; Ombudsman investigation outcomes and compliance with "
            "orders; and the annual report."),
    ("9.8", "All relevant staff and third parties have a standard objective on complaint handling: collaboration, "
            "collective responsibility for shortfalls, and professional standards."),
)
