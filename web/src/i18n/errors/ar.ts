// جمل الأخطاء بالعربية (النوع نفسه كما في en.ts: لكل رمز جملته).
import type { ErrorParams, ErrorText } from "../../errorText";
import { modelLabel } from "../../modelNames";
import { formatNumber, plural } from "../texts";
import type { ErrorsText } from "./index";

const RELOAD = "أعد تحميل الصفحة وحاول مجددًا.";
const SIGN_IN_AGAIN: ErrorText = { title: "لقد سُجّل خروجك", advice: "سجّل الدخول مجددًا للمتابعة." };
const OUT_OF_DATE: ErrorText = { title: "هذه الصفحة قديمة", advice: RELOAD };
const NOT_UNDERSTOOD: ErrorText = { title: "أرسلت الصفحة شيئًا لم يفهمه الخادم", advice: RELOAD };
const STILL_IN_BOX = "نصّك ما زال في خانة الكتابة.";
const TOO_LONG: ErrorText = { title: "هذه الرسالة طويلة جدًا", advice: `اختصرها وأرسلها مجددًا. ${STILL_IN_BOX}` };
const ADMIN_ONLY: ErrorText = { title: "لا يمكنك القيام بهذا", advice: "هذا للمشرفين فقط؛ اطلب ذلك من أحدهم." };
const FIX_AND_RESTART = "اقرأ السجل أدناه، وعالج السبب، ثم ابدأ تدريبًا جديدًا.";
const REGENERATE_OR_TELL = "اضغط ↻ إعادة التوليد للمحاولة مجددًا؛ وإن تكرر ذلك فأبلغ مشرفًا.";

const bpb = (n: number): string => formatNumber(n, { minimumFractionDigits: 3, maximumFractionDigits: 3 });

function seconds(params: ErrorParams): number | null {
  const s = params.retry_after_s;
  return typeof s === "number" && s > 0 ? Math.ceil(s) : null;
}

/** «انتظر …، ثم …» بالمدة التي ذكرها الخادم (دقيقة إن لم يذكر). */
function waitAdvice(params: ErrorParams, then: string): string {
  const s = seconds(params);
  const wait =
    s === null || (s >= 60 && s <= 90)
      ? "دقيقة"
      : s < 60
        ? plural(s, { one: "ثانية", two: "ثانيتين", few: "{n} ثوانٍ", many: "{n} ثانية", other: "{n} ثانية" })
        : plural(Math.ceil(s / 60), { one: "دقيقة", two: "دقيقتين", few: "{n} دقائق", many: "{n} دقيقة", other: "{n} دقيقة" });
  return `انتظر ${wait}، ثم ${then}`;
}

export const ar: ErrorsText = {
  codes: {
    network: { title: "تعذّر الوصول إلى الخادم", advice: "تحقق من اتصالك؛ ستعيد الصفحة المحاولة تلقائيًا." },
    internal: { title: "حدث خطأ في الخادم", advice: "حاول مجددًا؛ وإن تكرر ذلك فأبلغ مشرفًا." },
    unavailable: { title: "تعذّر على الخادم الوصول إلى قاعدة بياناته مؤقتًا", advice: "انتظر بضع ثوانٍ، ثم حاول مجددًا." },
    unauthenticated: SIGN_IN_AGAIN,
    invalid_token: SIGN_IN_AGAIN,
    signed_out: SIGN_IN_AGAIN,
    invalid_credentials: SIGN_IN_AGAIN,
    forbidden: ADMIN_ONLY,
    csrf_failed: OUT_OF_DATE,
    rate_limited: (p) => ({
      title: "أنت ترسل الرسائل بسرعة كبيرة",
      advice: waitAdvice(p, `أعد الإرسال. ${STILL_IN_BOX}`),
    }),
    no_such_endpoint: OUT_OF_DATE,
    method_not_allowed: OUT_OF_DATE,
    unsupported_media_type: OUT_OF_DATE,
    body_too_large: { title: "هذا نص أطول من أن يُحفظ دفعة واحدة", advice: "اختصره وحاول مجددًا." },
    invalid_id: { title: "هذه المحادثة أو الرسالة غير موجودة", advice: "اختر غيرها من القائمة." },
    invalid_query: { title: "تعذّر تحميل القائمة", advice: RELOAD },
    invalid_cursor: { title: "تعذّر تحميل القائمة", advice: RELOAD },
    invalid_body: { title: "لم يقبل الخادم هذا الطلب", advice: RELOAD },
    invalid_import: { title: "لا يمكن استيراد هذا الملف", advice: "استورد ملفًا صدّرته hadra، دون تعديل." },
    empty_patch: { title: "لا شيء لحفظه", advice: "غيّر شيئًا أولًا." },
    bad_json: NOT_UNDERSTOOD,
    bad_frame: NOT_UNDERSTOOD,
    unknown_type: OUT_OF_DATE,
    invalid_frame: { title: "أرسلت الصفحة شيئًا لم يقبله الخادم", advice: RELOAD },
    frame_too_large: TOO_LONG,
    not_found: (p) => ({
      title:
        p.what === "conversation"
          ? "هذه المحادثة لم تعد موجودة"
          : p.what === "message"
            ? "هذه الرسالة لم تعد موجودة"
            : "هذه المحادثة أو الرسالة لم تعد موجودة",
      advice: "اختر غيرها من القائمة.",
    }),
    empty_content: { title: "الرسالة فارغة", advice: "اكتب شيئًا، ثم أرسل." },
    content_too_long: TOO_LONG,
    busy: {
      title: "ما زال الرد قيد الكتابة هنا",
      advice: "أوقفه (■ إيقاف أو Esc) أو انتظر حتى ينتهي، ثم أعد الإرسال.",
    },
    too_many_generations: {
      title: "ردود كثيرة في الوقت نفسه",
      advice: "انتظر حتى ينتهي أحد ردودك، أو أوقفه (■ إيقاف أو Esc)، ثم أعد الإرسال.",
    },
    not_streaming: { title: "انتهى هذا الرد بالفعل", advice: "لا شيء لإيقافه." },
    invalid_parent: { title: "لا يمكن الرد على هذه الرسالة من هنا", advice: RELOAD },
    invalid_message: { title: "لا يمكن تعديل هذه الرسالة بهذه الطريقة", advice: RELOAD },
    not_an_answer: { title: "يمكن تقييم الردود فقط", advice: "قيّم أحد ردود المساعد." },
    still_streaming: { title: "ما زال هذا الرد قيد الكتابة", advice: "قيّمه عندما ينتهي." },
    username_taken: { title: "اسم المستخدم هذا مأخوذ", advice: "اختر اسمًا آخر." },
    email_taken: { title: "يوجد حساب بهذا البريد الإلكتروني", advice: "سجّل الدخول بدلًا من ذلك، أو استخدم بريدًا آخر." },
    account_disabled: { title: "هذا الحساب معطّل", advice: "تواصل مع مشرف هذا الخادم لإعادة تفعيله." },
    signup_closed: { title: "التسجيل مغلق على هذا الخادم", advice: "اطلب حسابًا من مشرف هذا الخادم." },
    cannot_change_self: {
      title: "لا يمكنك فعل هذا بحسابك أنت",
      advice: "اطلب من مشرف آخر تعطيله أو سحب صلاحيات الإشراف منه.",
    },
    last_staff: { title: "هذا آخر مشرف", advice: "اجعل حسابًا آخر مشرفًا أولًا، ثم حاول مجددًا." },
    name_taken: { title: "هذا الاسم مأخوذ", advice: "اختر اسمًا آخر لهذه النسخة." },
    version_active: { title: "هذه النسخة هي المستخدمة حاليًا", advice: "فعّل نسخة أخرى أولًا." },
    not_active: { title: "هذه النسخة ليست المستخدمة حاليًا", advice: "لا شيء للتراجع عنه." },
    model_not_in_ollama: {
      title: "خادم النماذج لا يملك هذا النموذج",
      advice: "أنشئه في Ollama أولًا، ثم فعّله مجددًا.",
    },
    eval_gate: (p) => ({
      title:
        typeof p.version_bpb === "number" && typeof p.active_bpb === "number"
          ? `نتيجة هذه النسخة أسوأ من النموذج النشط (${bpb(p.version_bpb)} مقابل ${bpb(p.active_bpb)} بت لكل بايت)`
          : "ليست لهذه النسخة نتيجة قابلة للمقارنة مع نتيجة النموذج النشط",
      advice: "قيّمها على مجموعة الاختبار نفسها، أو اذكر سببًا لتفعيلها رغم ذلك (يُسجَّل السبب).",
    }),
    unknown_preset: { title: "لا يوجد إعداد تدريب بهذا الاسم", advice: "اختر أحد الإعدادات المعروضة." },
    run_finished: { title: "انتهى هذا التدريب بالفعل", advice: "ابدأ تدريبًا جديدًا بدلًا منه." },
    model_not_found: (p) => ({
      title: typeof p.model === "string" && p.model ? `النموذج «${modelLabel(p.model)}» غير متاح` : "هذا النموذج غير متاح",
      advice: "اختر نموذجًا آخر من إعدادات المحادثة (⚙)، أو اطلب من مشرف تثبيته، ثم اضغط ↻ إعادة التوليد.",
    }),
    model_server_unavailable: {
      title: "خادم النماذج لا يستجيب",
      advice: "تأكد من أن Ollama يعمل (الأمر make run يشغّله) أو أن OLLAMA_HOST يشير إليه، ثم اضغط ↻ إعادة التوليد.",
    },
    model_server_busy: { title: "خادم النماذج مشغول", advice: "حاول مجددًا بعد بضع ثوانٍ (↻ إعادة التوليد يحتفظ بسؤالك)." },
    model_queue_full: (p) => ({
      title: "النموذج مشغول",
      advice: `${
        typeof p.limit === "number"
          ? plural(p.limit, { one: "ردّ واحد ينتظره", two: "ردّان ينتظرانه", few: "{n} ردود تنتظره", many: "{n} ردًّا ينتظره", other: "{n} ردّ ينتظره" })
          : "ردود كثيرة تنتظره"
      } بالفعل؛ انتظر دقيقة، ثم أعد الإرسال. ${STILL_IN_BOX}`,
    }),
    model_server_timeout: {
      title: "تأخر خادم النماذج كثيرًا في الرد",
      advice: "اضغط ↻ إعادة التوليد للمحاولة مجددًا؛ النموذج الأصغر يرد أسرع.",
    },
    model_server_error: { title: "تعذّر على خادم النماذج الرد", advice: REGENERATE_OR_TELL },
    answer_cut_short: {
      title: "انقطع الرد قبل اكتماله",
      advice: "توقف خادم النماذج في منتصفه. اضغط ↻ إعادة التوليد للحصول على رد كامل.",
    },
    database_gone: {
      title: "تعذّر حفظ الرد",
      advice: "فقد الخادم قاعدة بياناته أثناء الرد. انتظر بضع ثوانٍ، ثم اضغط ↻ إعادة التوليد.",
    },
    interrupted: {
      title: "توقف الرد",
      advice: "أُعيد تشغيل الخادم أثناء الرد. اضغط ↻ إعادة التوليد للمحاولة مجددًا.",
    },
    answer_failed: { title: "فشل الرد", advice: REGENERATE_OR_TELL },
  },
  inContext: {
    login: {
      invalid_credentials: { title: "اسم المستخدم أو كلمة المرور غير صحيحة", advice: "تحقق منهما وحاول مجددًا." },
      rate_limited: (p) => ({ title: "محاولات دخول كثيرة", advice: waitAdvice(p, "حاول مجددًا.") }),
      invalid_body: { title: "أدخل اسم المستخدم وكلمة المرور", advice: "كلاهما مطلوب لتسجيل الدخول." },
      missing: { title: "أدخل اسم المستخدم وكلمة المرور", advice: "كلاهما مطلوب لتسجيل الدخول." },
    },
    register: {
      rate_limited: (p) => ({ title: "تسجيلات كثيرة من شبكتك", advice: waitAdvice(p, "حاول مجددًا.") }),
      invalid_body: {
        title: "راجع الاستمارة",
        advice: "اسم المستخدم من 3 إلى 40 حرفًا أو رقمًا أو _ أو . أو -؛ والبريد الإلكتروني عنوان حقيقي؛ وكلمة المرور 8 أحرف على الأقل.",
      },
      username: { title: "اختر اسم مستخدم آخر", advice: "استخدم من 3 إلى 40 حرفًا أو رقمًا أو _ أو . أو -." },
      email: { title: "أدخل بريدك الإلكتروني", advice: "مثل name@example.com." },
      password: { title: "اختر كلمة مرور أطول", advice: "كلمة المرور 8 أحرف على الأقل." },
    },
    rename: { invalid_body: { title: "لا يمكن استخدام هذا العنوان", advice: "العنوان من حرف واحد إلى 200 حرف." } },
    import: {
      invalid_body: { title: "هذا الملف ليس محادثة من hadra", advice: "استورد ملف ‎.json‎ صدّرته hadra دون تعديله." },
      body_too_large: { title: "هذا الملف أكبر من أن يُستورد", advice: "استورد ملف ‎.json‎ لمحادثة واحدة في كل مرة." },
    },
    settings: {
      invalid_body: { title: "تعذّر حفظ هذه الإعدادات", advice: "اختصر تعليمات النظام، أو اختر نموذجًا من القائمة." },
    },
    account: {
      invalid_credentials: { title: "كلمة المرور غير صحيحة", advice: "تحقق منها وحاول مجددًا؛ لم يتغير شيء." },
      rate_limited: (p) => ({ title: "محاولات كثيرة في وقت قصير", advice: waitAdvice(p, "حاول مجددًا.") }),
      invalid_body: { title: "تعذّر حفظ ذلك", advice: "اختصر تعليمات النظام، أو اختر نموذجًا من القائمة." },
      last_staff: { title: "هذا آخر مشرف", advice: "اجعل حسابًا آخر مشرفًا أولًا، ثم احذف هذا الحساب." },
    },
    load: { not_found: { title: "هذه المحادثة لم تعد موجودة", advice: "اختر غيرها من القائمة." } },
    run: {
      worker_lost: {
        title: "توقف عامل التدريب في منتصف هذا التدريب",
        advice: "سجله أدناه. ابدأ تدريبًا جديدًا؛ فهو يبدأ من الصفر.",
      },
      dataset_failed: { title: "فشل إعداد بيانات التدريب", advice: FIX_AND_RESTART },
      train_failed: { title: "فشل التدريب", advice: FIX_AND_RESTART },
      eval_failed: { title: "فشل تقييم النموذج الجديد على بيانات الاختبار", advice: FIX_AND_RESTART },
      export_failed: { title: "فشل تصدير النموذج المدرَّب", advice: FIX_AND_RESTART },
      register_failed: {
        title: "فشل تسليم النموذج الجديد إلى خادم النماذج",
        advice: "تأكد من أن Ollama يعمل (الأمر make run يشغّله)، ثم ابدأ تدريبًا جديدًا.",
      },
    },
    models: {
      model_server_unavailable: {
        title: "خادم النماذج لا يستجيب",
        advice: "ستفشل الردود إلى أن يعمل Ollama (الأمر make run يشغّله) أو يشير إليه OLLAMA_HOST.",
      },
    },
  },
  generic: {
    title: "حدث خطأ ما",
    advice: "حاول مجددًا؛ وإن تكرر ذلك فأعد تحميل الصفحة أو أبلغ مشرفًا.",
  },
};
