"""The words the demo's investigators, prosecutors and clerks write in a criminal file (summaries,
reasons, hearing outcomes, exhibits, custody, instruments), in the file's language.

These are the contents of synthetic records, not interface text: they are written as a user would
type them, in Arabic, French or English, and are never translated. None names a victim.
"""

from __future__ import annotations

from dataclasses import dataclass

from jusoor.investigations.vocabulary import AssetKind, ExhibitKind, HearingKind, InstrumentKind


@dataclass(frozen=True)
class Words:
    summary: str  # %(victims)s: how many victims the file links
    summary_smuggling: str
    no_charge: tuple[str, ...]  # reasons the prosecution gives for not charging
    closed: tuple[str, ...]
    appeal: tuple[str, ...]
    hearing: dict[HearingKind, str]  # the outcome of a hearing held
    adjourned: str
    asset: dict[AssetKind, str]
    exhibit: dict[ExhibitKind, str]
    where: tuple[str, ...]  # where exhibits were seized
    holders: tuple[str, ...]  # custody: seizing unit, evidence store, laboratory (%(name)s)
    purposes: tuple[str, ...]  # custody: seizure, storage, examination, return
    protection: str
    instrument: dict[InstrumentKind, str]
    arrested: str  # the note of an arrest warrant executed
    withdrawn: str  # why the prosecution withdrew an additional charge at trial
    prosecutor: str  # an issuing authority, %(city)s
    judge: str


A, E, H, In = AssetKind, ExhibitKind, HearingKind, InstrumentKind

WORDS: dict[str, Words] = {
    "fr": Words(
        summary="Personnes recrutées par de fausses promesses, privées de leurs documents et de leur salaire. Victimes suivies par le mécanisme national d'orientation : %(victims)s.",
        summary_smuggling="Organisation de départs irréguliers contre paiement ; certaines personnes transportées ont ensuite été exploitées. Personnes suivies par le mécanisme national d'orientation : %(victims)s.",
        no_charge=("Éléments insuffisants sur les moyens employés ; faits transmis au tribunal du travail.", "Les déclarations ont été retirées et aucun autre élément ne soutient l'accusation."),
        closed=("Jonction à un autre dossier portant sur le même réseau.", "Dossier transmis au parquet du pays où l'exploitation a eu lieu.", "Décès du seul suspect en cours d'enquête."),
        appeal=("Appel de la défense contre la condamnation et la peine.", "Appel du parquet contre l'acquittement d'un prévenu."),
        hearing={H.first_appearance: "Prévenus entendus ; renvoi pour l'audition des victimes.", H.evidence: "Rapport d'extraction des téléphones versé aux débats.", H.victim_testimony: "Victime entendue par visioconférence, hors présence des prévenus.", H.pleadings: "Plaidoiries entendues ; jugement mis en délibéré.", H.verdict: "Jugement prononcé.", H.appeal: "Arrêt prononcé."},
        adjourned="Renvoi : avocat d'un prévenu absent.",
        asset={A.cash: "Espèces trouvées au local de l'agence", A.vehicle: "Minibus servant au transport des travailleurs", A.bank_account: "Compte recevant les frais de recrutement", A.phone: "Téléphones des suspects", A.real_estate: "Appartement où les victimes étaient logées", A.business: "Fonds de commerce de l'agence de recrutement"},
        exhibit={E.phone: "Téléphone portable d'un suspect, sous scellé", E.document: "Contrats de travail et registre des recrutements", E.identity_document: "Passeports retenus par l'employeur", E.computer: "Ordinateur portable du bureau de l'agence", E.cash: "Espèces en enveloppes, comptées et scellées"},
        where=("Bureau de l'agence", "Domicile d'un suspect", "Véhicule contrôlé à un barrage"),
        holders=("Brigade de police judiciaire — %(name)s", "Greffe des scellés — %(name)s", "Laboratoire de police scientifique — %(name)s"),
        purposes=("Saisie lors de la perquisition", "Conservation sous scellé", "Extraction et expertise", "Retour au greffe des scellés après expertise"),
        protection="Ordonnée par le tribunal sur réquisition du parquet.",
        instrument={In.search_warrant: "Perquisition du bureau et du domicile", In.arrest_warrant: "Suspect en fuite", In.preservation_request: "Conservation des données de l'opérateur téléphonique", In.freezing_order: "Gel du compte recevant les frais", In.travel_ban: "Interdiction de quitter le territoire", In.production_order: "Relevés bancaires demandés", In.court_order: "Placement de la victime en foyer"},
        arrested="Suspect interpellé à son domicile.",
        withdrawn="Charge abandonnée par le parquet : les éléments ne soutiennent que l'infraction principale.",
        prosecutor="Parquet de %(city)s",
        judge="Juge d'instruction de %(city)s",
    ),
    "ar": Words(
        summary="أشخاص استُدرجوا بوعود عمل كاذبة ثم حُجزت وثائقهم وأجورهم. عدد الضحايا المتابَعين في الآلية الوطنية للإحالة: %(victims)s.",
        summary_smuggling="تنظيم رحلات هجرة غير نظامية مقابل مبالغ مالية؛ تعرض بعض من نُقلوا للاستغلال لاحقا. عدد المتابَعين في الآلية الوطنية للإحالة: %(victims)s.",
        no_charge=("عدم كفاية الأدلة على وسائل الإكراه؛ أحيلت الوقائع إلى القضاء العمالي.", "عدول الشهود عن أقوالهم وعدم وجود أدلة أخرى تدعم الاتهام."),
        closed=("ضم الملف إلى ملف آخر يتعلق بالشبكة نفسها.", "إحالة الملف إلى النيابة العامة في بلد الاستغلال.", "وفاة المشتبه به الوحيد أثناء التحقيق."),
        appeal=("استئناف الدفاع للحكم بالإدانة والعقوبة.", "استئناف النيابة العامة لحكم البراءة الصادر لأحد المتهمين."),
        hearing={H.first_appearance: "سُمعت أقوال المتهمين؛ تأجيل لسماع الضحايا.", H.evidence: "إيداع تقرير فحص الهواتف في ملف الدعوى.", H.victim_testimony: "سماع الضحية عبر الاتصال المرئي دون حضور المتهمين.", H.pleadings: "سماع المرافعات؛ حجز الدعوى للحكم.", H.verdict: "صدر الحكم.", H.appeal: "صدر الحكم في الاستئناف."},
        adjourned="تأجيل لغياب محامي أحد المتهمين.",
        asset={A.cash: "مبالغ نقدية ضبطت في مقر المكتب", A.vehicle: "حافلة صغيرة لنقل العمال", A.bank_account: "حساب تودع فيه رسوم الاستقدام", A.phone: "هواتف المشتبه بهم", A.real_estate: "شقة كان الضحايا يقيمون فيها", A.business: "مكتب الاستقدام ومحتوياته"},
        exhibit={E.phone: "هاتف محمول لأحد المشتبه بهم، مختوم", E.document: "عقود عمل وسجل الاستقدام", E.identity_document: "جوازات سفر احتجزها صاحب العمل", E.computer: "حاسوب محمول من مقر المكتب", E.cash: "مبالغ نقدية في أظرف، معدودة ومختومة"},
        where=("مقر المكتب", "مسكن أحد المشتبه بهم", "سيارة أوقفت عند نقطة تفتيش"),
        holders=("الضابطة العدلية — %(name)s", "مخزن المضبوطات — %(name)s", "المختبر الجنائي — %(name)s"),
        purposes=("ضبط أثناء التفتيش", "حفظ تحت الختم", "فحص فني واستخراج البيانات", "إعادة إلى مخزن المضبوطات بعد الفحص"),
        protection="بأمر من المحكمة بناء على طلب النيابة العامة.",
        instrument={In.search_warrant: "تفتيش المكتب والمسكن", In.arrest_warrant: "مشتبه به فار", In.preservation_request: "حفظ بيانات شركة الاتصالات", In.freezing_order: "تجميد الحساب الذي تودع فيه الرسوم", In.travel_ban: "منع من السفر", In.production_order: "طلب كشوف الحسابات المصرفية", In.court_order: "إيداع الضحية في دار إيواء"},
        arrested="تم القبض على المشتبه به في مسكنه.",
        withdrawn="سحبت النيابة العامة هذه التهمة: الأدلة لا تدعم إلا الجريمة الأصلية.",
        prosecutor="النيابة العامة ب%(city)s",
        judge="قاضي التحقيق ب%(city)s",
    ),
    "en": Words(
        summary="People recruited with false promises of work, then deprived of their documents and wages. Victims followed by the National Referral Mechanism: %(victims)s.",
        summary_smuggling="Irregular departures organised for payment; some of the people moved were exploited afterwards. People followed by the National Referral Mechanism: %(victims)s.",
        no_charge=("Insufficient evidence of the means used; the facts were referred to the labour court.", "The statements were withdrawn and no other evidence supports the charge."),
        closed=("Joined to another file on the same network.", "Transferred to the prosecution of the country where the exploitation took place.", "The only suspect died during the investigation."),
        appeal=("Appeal by the defence against conviction and sentence.", "Appeal by the prosecution against the acquittal of one defendant."),
        hearing={H.first_appearance: "Defendants heard; adjourned for the victims' testimony.", H.evidence: "Phone extraction report entered into evidence.", H.victim_testimony: "Victim heard by video link, outside the defendants' presence.", H.pleadings: "Pleadings heard; judgment reserved.", H.verdict: "Judgment delivered.", H.appeal: "Appeal judgment delivered."},
        adjourned="Adjourned: a defendant's lawyer absent.",
        asset={A.cash: "Cash found at the agency's office", A.vehicle: "Minibus used to move the workers", A.bank_account: "Account receiving the recruitment fees", A.phone: "Suspects' phones", A.real_estate: "Flat where the victims were housed", A.business: "Recruitment agency's business"},
        exhibit={E.phone: "A suspect's mobile phone, sealed", E.document: "Employment contracts and recruitment ledger", E.identity_document: "Passports withheld by the employer", E.computer: "Laptop from the agency's office", E.cash: "Cash in envelopes, counted and sealed"},
        where=("Agency office", "A suspect's home", "Vehicle stopped at a checkpoint"),
        holders=("Criminal investigation unit — %(name)s", "Evidence store — %(name)s", "Forensic laboratory — %(name)s"),
        purposes=("Seized during the search", "Kept under seal", "Forensic extraction", "Returned to the evidence store after examination"),
        protection="Ordered by the court at the prosecution's request.",
        instrument={In.search_warrant: "Search of the office and home", In.arrest_warrant: "Suspect at large", In.preservation_request: "Preservation of the phone operator's data", In.freezing_order: "Freezing of the account receiving the fees", In.travel_ban: "Ban on leaving the country", In.production_order: "Bank statements requested", In.court_order: "Placement of the victim in a shelter"},
        arrested="Suspect arrested at home.",
        withdrawn="Withdrawn by the prosecution: the evidence supports only the main offence.",
        prosecutor="Public Prosecution, %(city)s",
        judge="Investigating judge, %(city)s",
    ),
}  # fmt: skip


def words(lang: str) -> Words:
    return WORDS.get(lang, WORDS["en"])
