import { formatNumber, plural } from "../texts";
import type { ChatText } from "./en";

const decimals = (n: number, digits: number): string =>
  formatNumber(n, { minimumFractionDigits: digits, maximumFractionDigits: digits });

export const ar: ChatText = {
  conversations: "المحادثات",
  model: "النموذج",
  defaultModel: "النموذج الافتراضي",
  settings: "إعدادات المحادثة",
  settingsHint: "النموذج وتعليمات النظام",
  dismiss: "إغلاق",
  modelNotes: {
    model_retired: (model) =>
      `أُحيل النموذج الذي استخدمته هذه المحادثة${model ? ` (${model})` : ""} للتقاعد؛ وهي تتابع بالنموذج الافتراضي.`,
  },
  notConnected: {
    title: "غير متصل",
    advice: "تعيد الصفحة الاتصال تلقائيًا؛ نصّك ما زال في خانة الكتابة. أرسله مجددًا عند الاتصال.",
  },
  welcome: "كيف يمكنني مساعدتك؟",
  welcomeHint: "Enter للإرسال، وShift+Enter لسطر جديد، وEsc لإيقاف الرد. العربية والنصوص المختلطة مرحّب بها.",
  composer: {
    placeholder: "اكتب رسالة إلى hadra…",
    label: "الرسالة",
    send: "إرسال",
    sendHint: "إرسال (Enter)",
    stop: "■ إيقاف",
    stopLabel: "إيقاف الرد",
    stopHint: "إيقاف (Esc)",
  },
  message: {
    versions: "النسخ",
    previous: "النسخة السابقة",
    next: "النسخة التالية",
    stopped: "تم الإيقاف",
    interrupted: "توقف: أُعيد تشغيل الخادم أثناء الرد. اضغط ↻ للمحاولة مجددًا.",
    waiting: "في انتظار النموذج…",
    starting: "جارٍ البدء…",
    ahead: (n) =>
      plural(n, {
        one: "رد واحد قبل ردك",
        two: "ردّان قبل ردك",
        few: "{n} ردود قبل ردك",
        many: "{n} ردًا قبل ردك",
        other: "{n} رد قبل ردك",
      }),
    thinking: "في انتظار أول كلمة",
    details: "التفاصيل",
    cancel: "إلغاء",
    saveAndSend: "حفظ وإرسال",
    edit: "✎ تعديل",
    editHint: "تعديل وإعادة الإرسال",
    regenerate: "↻ إعادة التوليد",
    regenerateHint: "إعادة التوليد",
    good: "رد جيد",
    bad: "رد سيئ",
    ttft: (ms) => (ms < 1000 ? `أول رمز بعد ${formatNumber(Math.round(ms))} مللي ث` : `أول رمز بعد ${decimals(ms / 1000, 2)} ث`),
    speed: (tokensPerS) => `${decimals(tokensPerS, 1)} رمز/ث`,
    tokens: (n) =>
      plural(n, { zero: "{n} رمز", one: "رمز واحد", two: "رمزان", few: "{n} رموز", many: "{n} رمزًا", other: "{n} رمز" }),
  },
  settingsPanel: {
    model: "النموذج",
    noModels: "(لا توجد نماذج متاحة)",
    systemPrompt: "تعليمات النظام",
    placeholder: "مثلًا: أجب باختصار، بلغة السؤال.",
    close: "إغلاق",
    save: "حفظ",
  },
};
