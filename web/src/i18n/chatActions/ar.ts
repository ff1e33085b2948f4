import { plural } from "../texts";
import type { ChatActionsText } from "./en";

export const ar: ChatActionsText = {
  correct: "تصحيح",
  correctTitle: "اكتب الإجابة التي كان ينبغي أن يقدّمها",
  correctLabel: "الإجابة المصحَّحة",
  correctHint: "تُحفَظ إجابتك المصحَّحة نسخةً جديدة، ويتعلّم منها النموذج القادم.",
  saveCorrection: "حفظ التصحيح",
  cancel: "إلغاء",

  rateAgainClears: "انقر مرة أخرى لسحب التقييم",
  noteLabel: "أضف ملاحظة (اختياري)",
  notePlaceholder: "ما الذي أعجبك أو لم يعجبك فيها؟",
  noteChips: ["لهجة خاطئة", "طويلة جدًا", "قصيرة جدًا", "غير صحيحة", "مفيدة"],
  noteLeft: (n: number) =>
    plural(n, {
      zero: "لم يبقَ أي حرف",
      one: "بقي حرف واحد",
      two: "بقي حرفان",
      few: "بقيت {n} أحرف",
      many: "بقي {n} حرفًا",
      other: "بقي {n} حرف",
    }),
  saveNote: "حفظ الملاحظة",
  skipNote: "تخطٍّ",
  editNote: "تعديل الملاحظة",
  notePrefix: "ملاحظة:",

  copy: "نسخ",
  copyAnswer: "نسخ الإجابة كاملة",
  copied: "تم النسخ",
  copyFailed: "تعذّر النسخ: حدّد النص وانسخه بنفسك.",
  showMore: "عرض المزيد",
  showLess: "عرض أقل",
  scrollLatest: "الانتقال إلى الأحدث",

  answerFinished: "اكتملت الإجابة",

  menuFor: (title: string) => `إجراءات «${title}»`,
  exportMarkdown: "تصدير بصيغة Markdown",
  exportJson: "تصدير بصيغة JSON",

  importButton: "استيراد",
  importTitle: "استيراد محادثة مصدَّرة بصيغة JSON",

  searchPlaceholder: "ابحث في الرسائل والعناوين",
  searching: "جارٍ البحث…",
  noHits: "لم يُعثر على شيء.",
  hitCount: (n: number) =>
    plural(n, {
      zero: "لم يُعثر على أي محادثة",
      one: "عُثر على محادثة واحدة",
      two: "عُثر على محادثتين",
      few: "عُثر على {n} محادثات",
      many: "عُثر على {n} محادثة",
      other: "عُثر على {n} محادثة",
    }),
  inQuestion: "في سؤال",
  inAnswer: "في إجابة",
  inTitle: "في العنوان",
  otherVersion: "في نسخة أخرى",
};
