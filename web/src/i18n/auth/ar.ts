import type { AuthText } from "./en";

export const ar: AuthText = {
  logIn: "سجّل الدخول إلى محادثاتك",
  createAccount: "إنشاء حساب",
  signedOut: "سُجّل خروجك. سجّل الدخول مجددًا للعودة إلى حيث كنت.",
  username: "اسم المستخدم",
  email: "البريد الإلكتروني",
  password: "كلمة المرور",
  submitLogin: "تسجيل الدخول",
  submitRegister: "إنشاء الحساب",
  toRegister: "ليس لديك حساب؟ أنشئ حسابًا",
  toLogin: "لديك حساب؟ سجّل الدخول",
};
