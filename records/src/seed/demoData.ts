import type { Specialty } from '@telemed/shared';

/** Demo organizations, people and patients: realistic names, three governorates, one university hospital. */
export const demoHospital = {
  kind: 'hospital' as const,
  name: { ar: 'مستشفيات جامعة أسيوط', en: 'Assiut University Hospitals' },
  governorate: 'أسيوط',
  district: 'أسيوط',
  address: 'شارع الجامعة، أسيوط',
  phone: '+20 88 2413000',
  specialties: ['cardiology', 'dermatology', 'pediatrics'] as Specialty[],
};

export const demoClinics = [
  {
    username: 'clinic.abnoub',
    name: { ar: 'وحدة صحة أسرة أبنوب', en: 'Abnoub Family Health Unit' },
    governorate: 'أسيوط',
    district: 'أبنوب',
    doctor: { ar: 'د. منى عبد الرحمن', latin: 'Dr Mona Abdelrahman' },
  },
  {
    username: 'clinic.mallawi',
    name: { ar: 'وحدة صحة أسرة ملوي', en: 'Mallawi Family Health Unit' },
    governorate: 'المنيا',
    district: 'ملوي',
    doctor: { ar: 'د. كريم فتحي', latin: 'Dr Karim Fathy' },
  },
  {
    username: 'clinic.tahta',
    name: { ar: 'وحدة صحة أسرة طهطا', en: 'Tahta Family Health Unit' },
    governorate: 'سوهاج',
    district: 'طهطا',
    doctor: { ar: 'د. هبة السيد', latin: 'Dr Heba Elsayed' },
  },
];

export const demoSpecialists: {
  username: string;
  specialty: Specialty;
  name: { ar: string; latin: string };
}[] = [
  { username: 'dr.samir', specialty: 'cardiology', name: { ar: 'أ.د. سمير حنا', latin: 'Prof Samir Hanna' } },
  { username: 'dr.nadia', specialty: 'cardiology', name: { ar: 'د. نادية شوقي', latin: 'Dr Nadia Shawky' } },
  { username: 'dr.omar', specialty: 'dermatology', name: { ar: 'د. عمر الشريف', latin: 'Dr Omar Elsherif' } },
  { username: 'dr.laila', specialty: 'dermatology', name: { ar: 'د. ليلى مراد', latin: 'Dr Laila Mourad' } },
  { username: 'dr.hany', specialty: 'pediatrics', name: { ar: 'د. هاني يوسف', latin: 'Dr Hany Youssef' } },
  { username: 'dr.salma', specialty: 'pediatrics', name: { ar: 'د. سلمى فؤاد', latin: 'Dr Salma Fouad' } },
];

export const demoStaff = [
  {
    username: 'admin',
    role: 'administrator' as const,
    name: { ar: 'أ. طارق منصور', latin: 'Tarek Mansour' },
  },
  { username: 'auditor', role: 'auditor' as const, name: { ar: 'أ. إيمان رشدي', latin: 'Eman Roshdy' } },
];

const firstNames = [
  ['فاطمة', 'Fatma', 'female'],
  ['محمد', 'Mohamed', 'male'],
  ['زينب', 'Zeinab', 'female'],
  ['أحمد', 'Ahmed', 'male'],
  ['مريم', 'Mariam', 'female'],
  ['مصطفى', 'Mostafa', 'male'],
  ['نعمة', 'Neama', 'female'],
  ['علي', 'Ali', 'male'],
  ['سعاد', 'Soad', 'female'],
  ['إبراهيم', 'Ibrahim', 'male'],
] as const;
const familyNames = [
  ['عبد الله', 'Abdallah'],
  ['حسن', 'Hassan'],
  ['محمود', 'Mahmoud'],
  ['عثمان', 'Osman'],
  ['خليل', 'Khalil'],
] as const;
const conditions = [
  {
    chronicConditions: ['ارتفاع ضغط الدم'],
    currentMedications: [{ name: 'Amlodipine', dose: '5 mg daily' }],
  },
  {
    chronicConditions: ['السكري من النوع الثاني'],
    currentMedications: [{ name: 'Metformin', dose: '500 mg twice daily' }],
  },
  { chronicConditions: [], currentMedications: [] },
  { chronicConditions: ['التهاب الكبد الفيروسي سي (تم العلاج)'], currentMedications: [] },
];

/** Ten patients for a clinic, with names, ages and histories that vary. */
export function demoPatients(clinicIndex: number) {
  return Array.from({ length: 10 }, (_, i) => {
    const [firstAr, firstLatin, sex] = firstNames[i]!;
    const [familyAr, familyLatin] = familyNames[(i + clinicIndex) % familyNames.length]!;
    const year = 1950 + ((i * 7 + clinicIndex * 11) % 70);
    return {
      mrn: `${['ABN', 'MLW', 'THT'][clinicIndex]}-${String(1001 + i)}`,
      name: { ar: `${firstAr} ${familyAr}`, latin: `${firstLatin} ${familyLatin}` },
      sex,
      birthDate: `${year}-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`,
      allergies: i % 4 === 0 ? ['البنسلين'] : [],
      ...conditions[i % conditions.length]!,
    };
  });
}

/** Reasons a clinic asks each specialty for help. */
export const demoReasons: Record<'cardiology' | 'dermatology' | 'pediatrics', string[]> = {
  cardiology: [
    'ألم في الصدر عند صعود السلم',
    'ضيق في التنفس مع المجهود منذ أسبوعين',
    'متابعة ضغط الدم غير المنتظم',
    'خفقان متكرر بالقلب',
  ],
  dermatology: [
    'طفح جلدي مع حكة منذ شهر',
    'بقع بيضاء على الجلد تزداد في المساحة',
    'حب شباب شديد لا يستجيب للعلاج',
  ],
  pediatrics: ['ارتفاع في درجة الحرارة وسعال عند طفل', 'إسهال متكرر عند رضيع', 'تأخر في النمو والوزن'],
};
